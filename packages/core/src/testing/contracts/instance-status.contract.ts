import { expect, it } from 'vitest';
import { anInstance } from '../fixtures.js';
import { newId } from '../../shared/index.js';
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
}
