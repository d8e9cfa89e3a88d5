/*
 * The fencing guarantee that only Postgres can give: a node's write that checked its lease (`holds`) in a
 * transaction either commits before another node's takeover, or sees the takeover and is refused. Here
 * the old holder's transaction is open and has checked its fence when the takeover arrives; the takeover
 * must wait for it, so the write lands under the epoch it was checked against. The same holds for the
 * writes that check their fence in their own statement (markSent, markStatus, updateStatus): the lock
 * their statement takes keeps the takeover waiting until their transaction ends.
 */
import type { FenceCheck, LeaseFence, Repositories } from '@whatisup/core';
import { aCustomer, aNewMessage, anInstance } from '@whatisup/core/testing';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyUnitOfWork, type Database } from '../src/index.js';
import { useTestKysely } from './use-test-kysely.js';

let db: Kysely<Database>;
useTestKysely({ max: 4 }, (opened) => ({ db } = opened));

const at = (ms: number) => new Date(Date.UTC(2026, 4, 1, 12, 0, 0, ms));

/** Resolves once some backend waits on a lock (the takeover's UPDATE queued behind the fenced read). */
async function someoneWaitsOnALock(): Promise<void> {
  for (;;) {
    const { rows } = await sql<{ waiting: number }>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(db);
    if (rows[0]!.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a fenced write and a takeover', () => {
  it('makes the takeover wait until the fenced transaction committed', async () => {
    const uow = createKyselyUnitOfWork(db);
    const customer = await uow.repos.customers.create(aCustomer());
    const instance = await uow.repos.instances.create(anInstance(customer.id, { status: 'connecting' }));
    const lease = (await uow.repos.leases.acquire(instance.id, 'node_a', { at: at(0), until: at(1_000) }))!;
    const fence = { instanceId: instance.id, nodeId: 'node_a', epoch: lease.epoch };
    const order: string[] = [];

    let takeover: Promise<unknown> | undefined;
    await uow.transaction(async (repos) => {
      expect(await repos.leases.holds(fence, at(999))).toBe(true);
      // node B's clock says the lease has expired: it tries to take over meanwhile.
      takeover = uow.repos.leases.acquire(instance.id, 'node_b', { at: at(1_000), until: at(2_000) }).then((taken) => {
        order.push('taken over');
        return taken;
      });
      await someoneWaitsOnALock();
      await repos.instances.updateStatus(customer.id, instance.id, ['connecting'], { status: 'connected', statusReason: null, at: at(999) });
      order.push('fenced write');
    });
    expect(await takeover).toMatchObject({ nodeId: 'node_b', epoch: lease.epoch + 1 });
    expect(order).toEqual(['fenced write', 'taken over']);
    // After the takeover the old fence holds no more.
    expect(await uow.repos.leases.holds(fence, at(999))).toBe(false);
  });

  type FencedWrite = (repos: Repositories, check: FenceCheck) => Promise<unknown>;
  const fencedWrites: readonly [string, (setup: { customerId: string; instanceId: string }) => Promise<FencedWrite>][] = [
    [
      'markSent',
      async ({ customerId, instanceId }) => {
        const uow = createKyselyUnitOfWork(db);
        await uow.repos.messages.stage(aNewMessage(customerId, instanceId));
        const claim = await uow.repos.messages.claimNext(instanceId, { now: new Date(), until: new Date(Date.now() + 60_000), token: 't' });
        if (!claim.claimed) throw new Error('not claimed');
        return (repos, check) => repos.messages.markSent(claim.message.id, 't', { whatsappId: `wa-${claim.message.id}`, at: check.at }, check);
      },
    ],
    [
      'markStatus',
      async ({ customerId, instanceId }) => {
        const uow = createKyselyUnitOfWork(db);
        await uow.repos.messages.stage(aNewMessage(customerId, instanceId));
        const claim = await uow.repos.messages.claimNext(instanceId, { now: new Date(), until: new Date(Date.now() + 60_000), token: 't' });
        if (!claim.claimed) throw new Error('not claimed');
        const whatsappId = `wa-${claim.message.id}`;
        await uow.repos.messages.markSent(claim.message.id, 't', { whatsappId, at: at(1) });
        return (repos, check) => repos.messages.markStatus(instanceId, whatsappId, { status: 'delivered', at: check.at, participant: null }, check);
      },
    ],
    [
      'updateStatus',
      async ({ customerId, instanceId }) => async (repos, check) =>
        repos.instances.updateStatus(customerId, instanceId, ['connecting'], { status: 'connected', statusReason: null, at: check.at }, check),
    ],
  ];

  it.each(fencedWrites)('makes the takeover wait until a transaction with a fenced %s committed', async (_name, arrange) => {
    const uow = createKyselyUnitOfWork(db);
    const customer = await uow.repos.customers.create(aCustomer());
    const instance = await uow.repos.instances.create(anInstance(customer.id, { status: 'connecting' }));
    const write = await arrange({ customerId: customer.id, instanceId: instance.id });
    const lease = (await uow.repos.leases.acquire(instance.id, 'node_a', { at: at(0), until: at(1_000) }))!;
    const fence: LeaseFence = { instanceId: instance.id, nodeId: 'node_a', epoch: lease.epoch };
    const order: string[] = [];

    let takeover: Promise<unknown> | undefined;
    await uow.transaction(async (repos) => {
      const wrote = await write(repos, { fence, at: at(999) });
      expect(wrote).not.toBeNull();
      expect(wrote).not.toBe('stale_fence');
      takeover = uow.repos.leases.acquire(instance.id, 'node_b', { at: at(1_000), until: at(2_000) }).then((taken) => {
        order.push('taken over');
        return taken;
      });
      await someoneWaitsOnALock();
      order.push('fenced write committing');
    });
    expect(await takeover).toMatchObject({ nodeId: 'node_b', epoch: lease.epoch + 1 });
    expect(order).toEqual(['fenced write committing', 'taken over']);
  });
});
