import { describe, expect, it } from 'vitest';
import type { EventPreparer } from '../events/index.js';
import { createFakeClock } from '../testing/fake-clock.js';
import { aCustomer, anInstance } from '../testing/fixtures.js';
import { createInMemoryEventRecorder } from '../testing/in-memory-event-recorder.js';
import { createInMemoryUnitOfWork } from '../testing/in-memory-unit-of-work.js';
import { aWebhookEndpoint } from '../testing/in-memory-webhook-fixtures.js';
import { createInstanceTransitioner } from './instance-transitioner.js';

async function setup(events?: EventPreparer) {
  const clock = createFakeClock();
  const uow = createInMemoryUnitOfWork({ clock });
  const recorder = createInMemoryEventRecorder({ clock });
  const customer = await uow.repos.customers.create(aCustomer());
  const instance = await uow.repos.instances.create(anInstance(customer.id, { status: 'qr_required' }));
  const transition = createInstanceTransitioner({ uow, events: events ?? recorder, clock });
  const ref = { customerId: customer.id, id: instance.id };
  const audit = async () => (await uow.repos.audit.list(customer.id, { limit: 10 })).data;
  return { uow, recorder, transition, ref, audit, clock };
}

describe('instance transitioner', () => {
  it('persists, audits and records a legal transition together', async () => {
    const { transition, ref, recorder, audit, uow } = await setup();
    const result = await transition({ instance: ref, actor: { type: 'system' }, to: 'connected', phoneNumber: '4915100000000' });
    expect(result).toMatchObject({ previous: 'qr_required', instance: { status: 'connected', phoneNumber: '4915100000000' } });
    expect((await uow.repos.instances.findById(ref.customerId, ref.id))?.status).toBe('connected');
    expect((await audit()).map((row) => row.data)).toEqual([{ from: 'qr_required', to: 'connected', reason: null }]);
    expect(recorder.envelopes().map((e) => [e.event, e.data])).toEqual([['instance.connected', { phone_number: '4915100000000' }]]);
  });

  it('turns a paired session opening its socket again into reconnecting, and leaves a first connection connecting', async () => {
    const { transition, ref, uow } = await setup();
    const opening = { instance: ref, actor: { type: 'system' }, to: 'connecting', whilePaired: 'reconnecting' } as const;
    expect((await transition(opening))?.instance.status).toBe('connecting');
    await transition({ instance: ref, actor: { type: 'system' }, to: 'connected', phoneNumber: '4915100000000' });
    // A node resuming the instance after a takeover: sends stay accepted while it connects.
    expect(await transition(opening)).toMatchObject({ previous: 'connected', instance: { status: 'reconnecting' } });
    expect((await transition(opening))?.instance.status).toBe('reconnecting');
    expect((await uow.repos.instances.findById(ref.customerId, ref.id))?.status).toBe('reconnecting');
  });

  it('ignores an illegal transition: nothing persisted, audited or recorded', async () => {
    const { transition, ref, recorder, audit } = await setup();
    // qr_required → pending is never legal (nothing goes back to pending).
    expect(await transition({ instance: ref, actor: { type: 'system' }, to: 'pending' })).toBeNull();
    expect(await audit()).toEqual([]);
    expect(recorder.recorded).toEqual([]);
  });

  it('records every QR rotation but audits only the status change', async () => {
    const { transition, ref, recorder, audit } = await setup();
    for (const raw of ['a', 'b']) {
      await transition({ instance: ref, actor: { type: 'system' }, to: 'qr_required', qr: { raw, pngDataUrl: `png:${raw}` } });
    }
    expect(recorder.envelopes().map((e) => e.data['qr'])).toEqual(['a', 'b']);
    expect(await audit()).toEqual([]);
  });

  it('writes nothing when the event cannot be prepared', async () => {
    const failing: EventPreparer = {
      prepare: () => {
        throw new Error('recorder down');
      },
      written: async () => undefined,
    };
    const { transition, ref, audit, uow } = await setup(failing);
    await expect(transition({ instance: ref, actor: { type: 'system' }, to: 'disconnected', reason: 'logout' })).rejects.toThrow(
      'recorder down',
    );
    expect((await uow.repos.instances.findById(ref.customerId, ref.id))?.status).toBe('qr_required');
    expect(await audit()).toEqual([]);
  });

  it('records a connection or a disconnection only when it changes the status, and audits only changes', async () => {
    const { transition, ref, recorder, audit } = await setup();
    // An explicit `from` lets connected → connected through (the lifecycle table never does).
    const connected = { instance: ref, actor: { type: 'system' }, to: 'connected', phoneNumber: '4915100000000', from: ['qr_required', 'connected'] } as const;
    expect(await transition(connected)).toMatchObject({ previous: 'qr_required' });
    expect(await transition(connected)).toMatchObject({ previous: 'connected', instance: { status: 'connected' } });
    expect(recorder.envelopes().map((e) => e.event)).toEqual(['instance.connected']);
    expect((await audit()).map((row) => row.data)).toEqual([{ from: 'qr_required', to: 'connected', reason: null }]);
  });

  it('hands the deliveries it wrote to the event preparer, once the write returned', async () => {
    const { transition, ref, recorder, uow } = await setup();
    await uow.repos.webhookEndpoints.create(aWebhookEndpoint(ref.customerId, { events: ['instance.*'] }));
    await transition({ instance: ref, actor: { type: 'system' }, to: 'disconnected', reason: 'logout' });
    const [published] = recorder.envelopes();
    expect(published).toMatchObject({ event: 'instance.disconnected', data: { reason: 'logout' } });
    const deliveries = await uow.repos.webhookDeliveries.list(ref.customerId, { limit: 10 });
    expect(deliveries.data.map((d) => [d.event, d.eventId])).toEqual([['instance.disconnected', published!.event_id]]);
  });

  it('applies a fenced transition only while its lease holds, and refuses it after a takeover', async () => {
    const { transition, ref, recorder, uow, clock } = await setup();
    const term = () => ({ at: clock.now(), until: new Date(clock.now().getTime() + 1_000) });
    const lease = (await uow.repos.leases.acquire(ref.id, 'node_a', term()))!;
    const fence = { instanceId: ref.id, nodeId: 'node_a', epoch: lease.epoch };
    expect(await transition({ instance: ref, actor: { type: 'system' }, to: 'connecting', fence })).not.toBeNull();
    clock.advance(1_000);
    await uow.repos.leases.acquire(ref.id, 'node_b', term());
    expect(await transition({ instance: ref, actor: { type: 'system' }, to: 'connected', phoneNumber: '491', fence })).toBeNull();
    expect((await uow.repos.instances.findById(ref.customerId, ref.id))?.status).toBe('connecting');
    expect(recorder.recorded).toEqual([]);
  });
});
