import { describe, expect, it } from 'vitest';
import { anInstance } from '../fixtures.js';
import { newId } from '../../shared/index.js';
import { prepareEvent } from '../../webhooks/index.js';
import type { InstanceTransitionWrite } from '../../instances/index.js';
import { aWebhookEndpoint } from '../in-memory-webhook-fixtures.js';
import type { SubjectHandle } from './contract-subject.js';

/** Status changes of `InstanceRepository`; called inside its contract's `describe`. */
export function describeInstanceStatusContract(subject: SubjectHandle, newCustomer: () => Promise<string>): void {
  it('updates the status when the current one is among `from`', async () => {
    const { instances } = subject().repos;
    const customerId = await newCustomer();
    const instance = await instances.create(anInstance(customerId));
    const at = new Date(instance.createdAt.getTime() + 5000);
    const updated = await instances.updateStatus(customerId, instance.id, ['pending', 'qr_required'], {
      status: 'connected',
      statusReason: null,
      phoneNumber: '4915112345678',
      at,
    });
    expect(updated).toMatchObject({ status: 'connected', phoneNumber: '4915112345678', updatedAt: at });
    expect(await instances.findById(customerId, instance.id)).toEqual(updated);
  });

  it('leaves the phone number unchanged when the change does not mention it', async () => {
    const { instances } = subject().repos;
    const customerId = await newCustomer();
    const instance = await instances.create(anInstance(customerId, { status: 'connected', phoneNumber: '491' }));
    const updated = await instances.updateStatus(customerId, instance.id, ['connected'], {
      status: 'reconnecting',
      statusReason: 'network',
      at: new Date(),
    });
    expect(updated).toMatchObject({ status: 'reconnecting', statusReason: 'network', phoneNumber: '491' });
  });

  it('returns null and changes nothing when the current status is not among `from`', async () => {
    const { instances } = subject().repos;
    const customerId = await newCustomer();
    const instance = await instances.create(anInstance(customerId));
    const change = { status: 'connected', statusReason: null, at: new Date() } as const;
    expect(await instances.updateStatus(customerId, instance.id, ['connecting'], change)).toBeNull();
    expect(await instances.findById(customerId, instance.id)).toEqual(instance);
  });

  it('updates under a held lease fence only: a stale one (other epoch, other node, expired) changes nothing', async () => {
    const { instances, leases } = subject().repos;
    const customerId = await newCustomer();
    const instance = await instances.create(anInstance(customerId));
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
    const later = (ms: number) => new Date(t0.getTime() + ms);
    const nodeId = newId('node');
    const lease = (await leases.acquire(instance.id, nodeId, { at: t0, until: later(10_000) }))!;
    const fence = { instanceId: instance.id, nodeId, epoch: lease.epoch };
    const change = { status: 'connecting', statusReason: null, at: later(1) } as const;
    for (const stale of [
      { fence: { ...fence, epoch: fence.epoch + 1 }, at: later(1) },
      { fence: { ...fence, nodeId: newId('node') }, at: later(1) },
      { fence, at: later(10_000) },
    ]) {
      expect(await instances.updateStatus(customerId, instance.id, ['pending'], change, stale)).toBeNull();
    }
    expect(await instances.findById(customerId, instance.id)).toEqual(instance);
    expect(await instances.updateStatus(customerId, instance.id, ['pending'], change, { fence, at: later(1) })).toMatchObject({ status: 'connecting' });
  });

  it('lets exactly one of two racing compare-and-set updates win', async () => {
    const { instances } = subject().repos;
    const customerId = await newCustomer();
    const instance = await instances.create(anInstance(customerId));
    const race = (status: 'connecting' | 'disconnected') =>
      instances.updateStatus(customerId, instance.id, ['pending'], { status, statusReason: null, at: new Date() });
    const results = await Promise.all([race('connecting'), race('disconnected')]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it("returns null for another customer's or a deleted instance", async () => {
    const { instances } = subject().repos;
    const customerId = await newCustomer();
    const instance = await instances.create(anInstance(customerId));
    const change = { status: 'connecting', statusReason: null, at: new Date() } as const;
    expect(await instances.updateStatus(await newCustomer(), instance.id, ['pending'], change)).toBeNull();
    await instances.softDelete(customerId, instance.id, new Date());
    expect(await instances.updateStatus(customerId, instance.id, ['pending'], change)).toBeNull();
  });

  it('lists live instances of every customer by status', async () => {
    const { instances } = subject().repos;
    const [c1, c2] = [await newCustomer(), await newCustomer()];
    const a = await instances.create(anInstance(c1, { status: 'connected' }));
    const b = await instances.create(anInstance(c2, { status: 'reconnecting' }));
    const pending = await instances.create(anInstance(c1));
    const gone = await instances.create(anInstance(c2, { status: 'connected' }));
    await instances.softDelete(c2, gone.id, new Date());
    const ids = (await instances.listByStatus(['connected', 'reconnecting'])).map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(ids).not.toContain(pending.id);
    expect(ids).not.toContain(gone.id);
  });

  describe('transition: one atomic write decided from the status the row has', () => {
    const system = { type: 'system' } as const;
    const move = (write: Partial<InstanceTransitionWrite> & Pick<InstanceTransitionWrite, 'to' | 'from'>): InstanceTransitionWrite => ({
      statusReason: null,
      at: new Date(Math.floor(Date.now() / 1000) * 1000),
      actor: system,
      ...write,
    });
    const auditOf = async (customerId: string) =>
      (await subject().repos.audit.list(customerId, { limit: 50 })).data.map((row) => [row.action, row.targetId, row.data]);

    it('moves an allowed status, returns the previous one, and audits the change in the same write', async () => {
      const { instances } = subject().repos;
      const customerId = await newCustomer();
      const instance = await instances.create(anInstance(customerId, { status: 'qr_required', phoneNumber: null }));
      const write = move({ to: 'connected', from: ['qr_required'], phoneNumber: '4915112345678', statusReason: 'paired' });
      const written = await instances.transition(customerId, instance.id, write);
      expect(written).toMatchObject({ previous: 'qr_required', eventWritten: false, deliveries: [], instance: { status: 'connected', statusReason: 'paired', phoneNumber: '4915112345678', updatedAt: write.at } });
      expect(await instances.findById(customerId, instance.id)).toEqual(written!.instance);
      expect(await auditOf(customerId)).toEqual([['instance.status_changed', instance.id, { from: 'qr_required', to: 'connected', reason: 'paired' }]]);
      // Same status again (allowed by an explicit `from`): written, not audited; the number stays when not given.
      const again = await instances.transition(customerId, instance.id, move({ to: 'connected', from: ['connected'] }));
      expect(again).toMatchObject({ previous: 'connected', instance: { phoneNumber: '4915112345678', statusReason: null } });
      expect(await auditOf(customerId)).toHaveLength(1);
    });

    it('takes the whilePaired target for a connected or reconnecting row, and `to` otherwise', async () => {
      const { instances } = subject().repos;
      const customerId = await newCustomer();
      const write = move({ to: 'connecting', from: ['pending', 'disconnected'], whilePaired: { to: 'reconnecting', from: ['connected', 'reconnecting'] } });
      const paired = await instances.create(anInstance(customerId, { status: 'connected' }));
      const fresh = await instances.create(anInstance(customerId, { status: 'pending' }));
      expect(await instances.transition(customerId, paired.id, write)).toMatchObject({ previous: 'connected', instance: { status: 'reconnecting' } });
      expect(await instances.transition(customerId, fresh.id, write)).toMatchObject({ previous: 'pending', instance: { status: 'connecting' } });
      // connecting is neither paired nor among `from`: refused.
      expect(await instances.transition(customerId, fresh.id, write)).toBeNull();
    });

    it("writes nothing when the status is not allowed, the fence is stale, or the instance is another customer's or deleted", async () => {
      const { instances, leases } = subject().repos;
      const customerId = await newCustomer();
      const instance = await instances.create(anInstance(customerId));
      const write = move({ to: 'connecting', from: ['pending'] });
      expect(await instances.transition(customerId, instance.id, move({ to: 'connected', from: ['qr_required'] }))).toBeNull();
      expect(await instances.transition(await newCustomer(), instance.id, write)).toBeNull();
      const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
      const nodeId = newId('node');
      const lease = (await leases.acquire(instance.id, nodeId, { at: t0, until: new Date(t0.getTime() + 10_000) }))!;
      const fence = { instanceId: instance.id, nodeId, epoch: lease.epoch };
      expect(await instances.transition(customerId, instance.id, write, { fence: { ...fence, epoch: fence.epoch + 1 }, at: t0 })).toBeNull();
      expect(await instances.transition(customerId, instance.id, write, { fence, at: new Date(t0.getTime() + 10_000) })).toBeNull();
      expect(await instances.findById(customerId, instance.id)).toEqual(instance);
      expect(await auditOf(customerId)).toEqual([]);
      expect(await instances.transition(customerId, instance.id, write, { fence, at: t0 })).toMatchObject({ instance: { status: 'connecting' } });
      await instances.softDelete(customerId, instance.id, new Date());
      expect(await instances.transition(customerId, instance.id, move({ to: 'connected', from: ['connecting', 'disconnected'] }))).toBeNull();
    });

    it('lets exactly one of two racing transitions from the same status win', async () => {
      const { instances } = subject().repos;
      const customerId = await newCustomer();
      const instance = await instances.create(anInstance(customerId));
      const results = await Promise.all(
        (['connecting', 'disconnected'] as const).map((to) => instances.transition(customerId, instance.id, move({ to, from: ['pending'] }))),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await auditOf(customerId)).toHaveLength(1);
    });

    it("fans the event out with the write when it is due, and hands back the deliveries it wrote", async () => {
      const { instances, webhookEndpoints, webhookDeliveries } = subject().repos;
      const customerId = await newCustomer();
      const instance = await instances.create(anInstance(customerId, { status: 'connecting' }));
      const endpoint = await webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['instance.*'] }));
      await webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['message.*'] }));
      const at = new Date(Math.floor(Date.now() / 1000) * 1000);
      const connectedEvent = () =>
        prepareEvent(
          { name: 'instance.connected', customerId, instanceId: instance.id, occurredAt: at, data: { phone_number: '491' } },
          { clock: { now: () => at }, ids: 1, traceparent: null },
        );
      const deliveriesOf = async () => (await webhookDeliveries.list(customerId, { limit: 50, cursor: null })).data;

      // Refused: nothing fanned out.
      const refused = connectedEvent();
      expect(await instances.transition(customerId, instance.id, move({ to: 'connected', from: ['qr_required'], event: { prepared: refused, onlyIfChanged: true } }))).toBeNull();
      expect(await deliveriesOf()).toEqual([]);

      const event = connectedEvent();
      const written = await instances.transition(customerId, instance.id, move({ to: 'connected', from: ['connecting'], phoneNumber: '491', event: { prepared: event, onlyIfChanged: true } }));
      expect(written?.deliveries).toEqual([{ deliveryId: event.fanOut.ids[0], endpointId: endpoint.id, url: endpoint.url }]);
      expect(written?.eventWritten).toBe(true);
      expect(await webhookDeliveries.findById(customerId, event.fanOut.ids[0]!)).toMatchObject({
        event: 'instance.connected',
        eventId: event.envelope.event_id,
        payload: event.fanOut.payload,
        status: 'pending',
      });

      // Already connected: with onlyIfChanged the write happens and the event does not.
      const repeat = await instances.transition(customerId, instance.id, move({ to: 'connected', from: ['connected'], event: { prepared: connectedEvent(), onlyIfChanged: true } }));
      expect(repeat).toMatchObject({ previous: 'connected', eventWritten: false, deliveries: [] });
      // The whilePaired move never carries the event of `to`.
      const opening = move({ to: 'connected', from: ['connecting'], whilePaired: { to: 'reconnecting', from: ['connected'] }, event: { prepared: connectedEvent(), onlyIfChanged: false } });
      expect(await instances.transition(customerId, instance.id, opening)).toMatchObject({ instance: { status: 'reconnecting' }, eventWritten: false, deliveries: [] });
      expect(await deliveriesOf()).toHaveLength(1);
      // Due with no endpoint that wants it: carried (SSE still hears of it), nothing to deliver.
      const loner = await newCustomer();
      const quiet = await instances.create(anInstance(loner, { status: 'connected' }));
      const leaving = prepareEvent(
        { name: 'instance.disconnected', customerId: loner, instanceId: quiet.id, occurredAt: at, data: { reason: 'logout' } },
        { clock: { now: () => at }, ids: 1, traceparent: null },
      );
      const left = await instances.transition(loner, quiet.id, move({ to: 'disconnected', from: ['connected'], event: { prepared: leaving, onlyIfChanged: true } }));
      expect(left).toMatchObject({ eventWritten: true, deliveries: [], instance: { status: 'disconnected' } });
    });
  });
}
