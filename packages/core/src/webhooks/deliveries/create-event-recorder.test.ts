import { describe, expect, it } from 'vitest';
import { createWebhookHarness } from '../../testing/webhook-harness.js';
import { anEventPayload } from '../../testing/event-payload-fixtures.js';
import { createEventRecorder } from './create-event-recorder.js';

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

  it("wakes each delivery with its own endpoint's host, and mints ids beyond the fan-out limit when it must", async () => {
    const h = createWebhookHarness();
    const { principal } = await h.newTenant();
    const one = await h.createEndpoint(principal, { url: 'https://one.example.com/in', events: ['message.*'] });
    const two = await h.createEndpoint(principal, { url: 'https://two.example.com:8443/in', events: ['*'] });
    await h.recordEvent(principal, 'message.received');
    const deliveries = (await h.listDeliveries(principal)).data;
    const hostOf = new Map([[one.endpoint.id, 'one.example.com'], [two.endpoint.id, 'two.example.com:8443']]);
    expect(h.queue.jobs.map((job) => [job.id, job.data])).toEqual(
      [...deliveries].reverse().map((d) => [d.id, { host: hostOf.get(d.endpointId) }]),
    );

    // A recorder told of lower limits than the customer's endpoints still writes one delivery each.
    h.queue.take();
    const tight = createEventRecorder({ clock: h.clock, deliveryQueue: h.queue, bus: h.bus, endpointLimits: { perCustomer: 1, perInstance: 1 } });
    await h.uow.transaction((repos, tx) =>
      tight.record(repos, tx, { customerId: principal.customerId, instanceId: null, name: 'message.sent', data: anEventPayload('message.sent') }),
    );
    const sent = (await h.listDeliveries(principal, { event: 'message.sent' })).data;
    expect(sent.map((d) => d.endpointId).sort()).toEqual([one.endpoint.id, two.endpoint.id].sort());
    expect(h.queue.take().sort()).toEqual(sent.map((d) => d.id).sort());
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
