import { describe, expect, it } from 'vitest';
import { codeOf } from '../../testing/use-case-harness.js';
import { createWebhookHarness } from '../../testing/webhook-harness.js';

describe('webhook deliveries API use cases', () => {
  it('sends a webhook.test event to that one endpoint through the pipeline', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint({ events: ['message.sent'] });
    const other = await h.createEndpoint(tenant.principal, { url: 'https://two.example.com/', events: ['*'] });
    const { envelope, deliveryId } = await h.sendTest(tenant.principal, { id: tenant.endpoint.id });
    expect(envelope).toMatchObject({ event: 'webhook.test', data: { endpoint_id: tenant.endpoint.id } });
    expect(h.queue.take()).toEqual([deliveryId]);
    await h.processDelivery(deliveryId);
    expect(h.receiver.requests.map((r) => r.url)).toEqual([tenant.endpoint.url]);
    expect((await h.listDeliveries(tenant.principal, { endpointId: other.endpoint.id })).data).toEqual([]);
    await h.updateEndpoint(tenant.principal, { id: tenant.endpoint.id, enabled: false });
    expect(await codeOf(h.sendTest(tenant.principal, { id: tenant.endpoint.id }))).toBe('conflict');
  });

  it('lists with filters and cursor pagination, newest first', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint();
    const shop = await h.createInstance(tenant.principal, { name: 'shop' });
    await h.recordEvent(tenant.principal, 'message.received', shop.id);
    await h.recordEvent(tenant.principal, 'instance.connected', shop.id);
    await h.recordEvent(tenant.principal, 'message.received');
    const [a, b, c] = h.queue.take();
    await h.processDelivery(a!);
    const first = await h.listDeliveries(tenant.principal, { limit: 2 });
    expect(first.data.map((d) => d.id)).toEqual([c, b]);
    expect((await h.listDeliveries(tenant.principal, { limit: 2, cursor: first.nextCursor })).data.map((d) => d.id)).toEqual([a]);
    expect((await h.listDeliveries(tenant.principal, { status: 'success' })).data.map((d) => d.id)).toEqual([a]);
    expect((await h.listDeliveries(tenant.principal, { event: 'instance.connected' })).data.map((d) => d.id)).toEqual([b]);
    expect((await h.listDeliveries(tenant.principal, { instanceId: shop.id })).data.map((d) => d.id)).toEqual([b, a]);
    expect(await codeOf(h.listDeliveries(tenant.principal, { status: 'lost' }))).toBe('invalid_input');
    const bound = await h.boundPrincipal(tenant.principal, shop.id);
    expect((await h.listDeliveries(bound)).data.map((d) => d.id)).toEqual([b, a]);
    expect(await codeOf(h.getDelivery(bound, { id: c! }))).toBe('forbidden');
    const stranger = await h.newTenant();
    expect((await h.listDeliveries(stranger.principal)).data).toEqual([]);
    expect(await codeOf(h.getDelivery(stranger.principal, { id: a! }))).toBe('not_found');
  });

  it('replays a failed delivery as a new attempt series with the same payload', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint();
    await h.recordEvent(tenant.principal, 'message.received');
    const [id] = h.queue.take();
    h.receiver.answer({ status: 500 });
    for (let i = 0; i < 6; i++) {
      await h.processDelivery(id!);
      h.clock.advance(8_000_000);
    }
    h.queue.take();
    expect((await h.getDelivery(tenant.principal, { id: id! })).delivery.status).toBe('failed');
    h.receiver.answer({ status: 200 });
    const replayed = await h.replay(tenant.principal, { id: id! });
    expect(replayed).toMatchObject({ status: 'pending', attemptCount: 0, nextAttemptAt: h.clock.now(), lastError: null });
    expect(h.queue.take()).toEqual([id]);
    await h.processDelivery(id!);
    const { delivery, attempts } = await h.getDelivery(tenant.principal, { id: id! });
    expect(delivery).toMatchObject({ status: 'success', attemptCount: 1 });
    expect(attempts.map((a) => a.attemptNumber)).toEqual([1, 2, 3, 4, 5, 6, 1]);
    expect(h.receiver.requests[6]?.body).toBe(h.receiver.requests[0]?.body);
  });

  it('recovers every failed delivery of an endpoint since a time', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint();
    h.receiver.answer({ status: 410 });
    await h.recordEvent(tenant.principal, 'message.received');
    const before = h.clock.advance(60_000);
    await h.recordEvent(tenant.principal, 'message.received');
    await h.recordEvent(tenant.principal, 'message.received');
    for (const id of h.queue.take()) await h.processDelivery(id); // 410, then two failed unsent (disabled)
    // the 410 disabled the endpoint: recovery needs it enabled again
    expect(await codeOf(h.recover(tenant.principal, { endpointId: tenant.endpoint.id, since: before }))).toBe('conflict');
    await h.updateEndpoint(tenant.principal, { id: tenant.endpoint.id, enabled: true });
    expect(await h.recover(tenant.principal, { endpointId: tenant.endpoint.id, since: before })).toEqual({ count: 2 });
    expect(h.queue.take()).toHaveLength(2);
    expect((await h.listDeliveries(tenant.principal, { status: 'failed' })).data).toHaveLength(1);
    const stranger = await h.newTenant();
    expect(await codeOf(h.recover(stranger.principal, { endpointId: tenant.endpoint.id, since: before }))).toBe('not_found');
  });
});
