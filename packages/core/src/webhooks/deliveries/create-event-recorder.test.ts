import { describe, expect, it } from 'vitest';
import { createWebhookHarness } from '../../testing/webhook-harness.js';
import { anEventPayload } from '../../testing/event-payload-fixtures.js';

describe('createEventRecorder', () => {
  it('writes one delivery per matching enabled endpoint, all with the same event id and exact body', async () => {
    const h = createWebhookHarness();
    const { principal } = await h.newTenant();
    const shop = await h.createInstance(principal, { name: 'shop' });
    const other = await h.createInstance(principal, { name: 'other' });
    const url = 'https://hooks.example.com/';
    const all = await h.createEndpoint(principal, { url, events: ['*'] });
    const bound = await h.createEndpoint(principal, { url, events: ['message.received'], instanceId: shop.id });
    await h.createEndpoint(principal, { url, events: ['message.received'], instanceId: other.id });
    await h.createEndpoint(principal, { url, events: ['instance.connected'] });
    await h.createEndpoint(principal, { url, events: ['*'], enabled: false });
    const envelope = await h.recordEvent(principal, 'message.received', shop.id);
    const deliveries = (await h.listDeliveries(principal)).data;
    expect(deliveries.map((d) => d.endpointId).sort()).toEqual([all.endpoint.id, bound.endpoint.id].sort());
    for (const d of deliveries) {
      expect(d).toMatchObject({ eventId: envelope.event_id, status: 'pending', instanceId: shop.id, nextAttemptAt: h.clock.now() });
      expect((await h.getDelivery(principal, { id: d.id })).delivery.payload).toBe(h.published[0]?.body);
    }
    expect(JSON.parse((await h.getDelivery(principal, { id: deliveries[0]!.id })).delivery.payload)).toEqual(envelope);
    expect(h.queue.take().sort()).toEqual(deliveries.map((d) => d.id).sort());
  });

  it('publishes to SSE after the commit even when no endpoint matches', async () => {
    const h = createWebhookHarness();
    const { principal } = await h.newTenant();
    const envelope = await h.recordEvent(principal, 'instance.connected');
    expect(h.published.map((e) => e.envelope)).toEqual([envelope]);
    expect(h.queue.jobs).toEqual([]);
  });

  it('writes, enqueues and publishes nothing when the transaction rolls back', async () => {
    const h = createWebhookHarness();
    const { principal } = await h.tenantWithEndpoint();
    await expect(
      h.uow.transaction(async (repos, tx) => {
        await h.recorder.record(repos, tx, { customerId: principal.customerId, instanceId: null, name: 'message.sent', data: anEventPayload('message.sent') });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect((await h.listDeliveries(principal)).data).toEqual([]);
    expect(h.queue.jobs).toEqual([]);
    expect(h.published).toEqual([]);
  });

  it("never writes deliveries for another customer's endpoints", async () => {
    const h = createWebhookHarness();
    const owner = await h.tenantWithEndpoint();
    const { principal } = await h.newTenant();
    await h.recordEvent(principal, 'message.received');
    expect((await h.listDeliveries(owner.principal)).data).toEqual([]);
  });
});
