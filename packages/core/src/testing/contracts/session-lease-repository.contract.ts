import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/index.js';
import { aCustomer, anInstance } from '../fixtures.js';
import type { Instance } from '../../instances/index.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

const T0 = new Date('2026-05-01T12:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const term = (atMs: number, ttlMs = 10_000) => ({ at: later(atMs), until: later(atMs + ttlMs) });

/** The behaviour every `SessionLeaseRepository` must have: grants, renewals, takeovers and fencing. */
export function describeSessionLeaseRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`SessionLeaseRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const nodeA = newId('node');
    const nodeB = newId('node');
    const newInstance = async (overrides: Partial<Instance> = {}): Promise<Instance> => {
      const customer = await subject().repos.customers.create(aCustomer());
      return subject().repos.instances.create(anInstance(customer.id, overrides));
    };

    it('grants a free lease at epoch 1 and refuses it to another node until it expires', async () => {
      const { leases } = subject().repos;
      const { id } = await newInstance();
      expect(await leases.acquire(id, nodeA, term(0))).toEqual({ instanceId: id, nodeId: nodeA, epoch: 1, expiresAt: later(10_000) });
      expect(await leases.acquire(id, nodeB, term(9_999))).toBeNull();
      expect(await leases.find(id)).toEqual({ instanceId: id, nodeId: nodeA, epoch: 1, expiresAt: later(10_000) });
    });

    it('renews under the same epoch for the holder, and bumps the epoch at every takeover', async () => {
      const { leases } = subject().repos;
      const { id } = await newInstance();
      await leases.acquire(id, nodeA, term(0));
      expect(await leases.acquire(id, nodeA, term(5_000))).toMatchObject({ epoch: 1, expiresAt: later(15_000) });
      // Expired: B takes over with a higher epoch.
      expect(await leases.acquire(id, nodeB, term(15_000))).toMatchObject({ nodeId: nodeB, epoch: 2 });
      // A's own lease after it expired is a takeover too: the epoch grows even for the same node.
      expect(await leases.acquire(id, nodeA, term(25_000))).toMatchObject({ nodeId: nodeA, epoch: 3 });
    });

    it('renews only unexpired leases of the node', async () => {
      const { leases } = subject().repos;
      const [fresh, stale, other] = [await newInstance(), await newInstance(), await newInstance()];
      await leases.acquire(stale.id, nodeA, term(0, 1_000));
      await leases.acquire(fresh.id, nodeA, term(0, 60_000));
      await leases.acquire(other.id, nodeB, term(0, 60_000));
      const renewed = await leases.renewAll(nodeA, term(2_000, 60_000));
      const mine = renewed.filter((lease) => [fresh.id, stale.id, other.id].includes(lease.instanceId));
      expect(mine).toEqual([{ instanceId: fresh.id, nodeId: nodeA, epoch: 1, expiresAt: later(62_000) }]);
      expect(await leases.find(stale.id)).toMatchObject({ nodeId: nodeA, expiresAt: later(1_000) });
    });

    it('holds only for the current holder, epoch and time', async () => {
      const { leases } = subject().repos;
      const { id } = await newInstance();
      const lease = (await leases.acquire(id, nodeA, term(0)))!;
      const fence = { instanceId: id, nodeId: nodeA, epoch: lease.epoch };
      expect(await leases.holds(fence, later(9_999))).toBe(true);
      expect(await leases.holds(fence, later(10_000))).toBe(false);
      expect(await leases.holds({ ...fence, nodeId: nodeB }, later(1))).toBe(false);
      await leases.acquire(id, nodeB, term(10_000));
      await leases.acquire(id, nodeA, term(20_000)); // A again, but under epoch 3
      expect(await leases.holds(fence, later(20_001))).toBe(false);
      expect(await leases.holds({ ...fence, epoch: 3 }, later(20_001))).toBe(true);
    });

    it('releases under a current fence only, keeping the epoch for the next holder', async () => {
      const { leases } = subject().repos;
      const { id } = await newInstance();
      await leases.acquire(id, nodeA, term(0));
      expect(await leases.release({ instanceId: id, nodeId: nodeA, epoch: 7 }, later(1))).toBe(false);
      expect(await leases.release({ instanceId: id, nodeId: nodeA, epoch: 1 }, later(1))).toBe(true);
      expect(await leases.find(id)).toMatchObject({ nodeId: null, epoch: 1 });
      expect(await leases.acquire(id, nodeB, term(2))).toMatchObject({ nodeId: nodeB, epoch: 2 });
    });

    it('releases every lease of a node at once', async () => {
      const { leases } = subject().repos;
      const node = newId('node');
      const [a, b] = [await newInstance(), await newInstance()];
      await leases.acquire(a.id, node, term(0));
      await leases.acquire(b.id, node, term(0));
      expect(await leases.releaseAll(node, later(1))).toBe(2);
      expect(await leases.acquire(a.id, nodeB, term(2))).toMatchObject({ nodeId: nodeB, epoch: 2 });
    });

    it('lists resumable instances and held leases as placement candidates, never deleted ones', async () => {
      const { leases, instances } = subject().repos;
      const connected = await newInstance({ status: 'connected' });
      const pairing = await newInstance({ status: 'qr_required' });
      const idle = await newInstance({ status: 'disconnected' });
      const deleted = await newInstance({ status: 'connected' });
      await instances.softDelete(deleted.customerId, deleted.id, later(0));
      await leases.acquire(pairing.id, nodeA, term(0));
      const mine = [connected.id, pairing.id, idle.id, deleted.id];
      const listed = (await leases.listCandidates(later(1))).filter((c) => mine.includes(c.instance.id));
      expect(listed.map((c) => c.instance.id)).toEqual([connected.id, pairing.id].sort());
      expect(listed.find((c) => c.instance.id === connected.id)).toEqual({ instance: connected, lease: null });
      expect(listed.find((c) => c.instance.id === pairing.id)?.lease).toMatchObject({ nodeId: nodeA, epoch: 1 });
      // Once the pairing's lease expired it is no longer a candidate.
      const afterExpiry = await leases.listCandidates(later(10_000));
      expect(afterExpiry.map((c) => c.instance.id)).not.toContain(pairing.id);
    });

    it('lets exactly one of two nodes racing for a free lease win', async () => {
      const { leases } = subject().repos;
      const { id } = await newInstance();
      const results = await Promise.all([leases.acquire(id, nodeA, term(0)), leases.acquire(id, nodeB, term(0))]);
      expect(results.filter((lease) => lease !== null)).toHaveLength(1);
    });

    it('refuses a write fenced by a lease that was taken over while the write waited', async () => {
      const { uow } = subject();
      const { id } = await newInstance();
      const lease = (await uow.repos.leases.acquire(id, nodeA, term(0, 1_000)))!;
      const fence = { instanceId: id, nodeId: nodeA, epoch: lease.epoch };
      await uow.repos.leases.acquire(id, nodeB, term(2_000));
      const wrote = await uow.transaction(async (repos) => repos.leases.holds(fence, later(500)));
      expect(wrote).toBe(false);
    });
  });
}
