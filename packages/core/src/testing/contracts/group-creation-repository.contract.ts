import { describe, expect, it } from 'vitest';
import { aCustomer, anInstance } from '../fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

/** The behaviour every `GroupCreationRepository` must have. */
export function describeGroupCreationRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`GroupCreationRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const newInstance = async () => {
      const { repos } = subject();
      const customer = await repos.customers.create(aCustomer());
      const instance = await repos.instances.create(anInstance(customer.id, { status: 'connected' }));
      return { customerId: customer.id, instanceId: instance.id };
    };
    const at = (seconds: number) => new Date(Date.UTC(2026, 4, 1, 12, 0, seconds));
    const claimOf = (ids: { customerId: string; instanceId: string }, key: string, seconds: number, hash = 'h1') => ({
      ...ids,
      idempotencyKey: key,
      requestHash: hash,
      createdAt: at(seconds),
      expiresAt: at(seconds + 30),
    });

    it('claims a key once, keeps the answer, and frees it only while pending', async () => {
      const { groupCreations } = subject().repos;
      const ids = await newInstance();
      expect(await groupCreations.claim(claimOf(ids, 'k1', 0))).toEqual({ outcome: 'claimed' });
      const pending = await groupCreations.claim(claimOf(ids, 'k1', 1, 'h2'));
      expect(pending).toMatchObject({ outcome: 'existing', record: { status: 'pending', requestHash: 'h1', response: null } });
      await groupCreations.complete(ids.customerId, 'k1', { group_id: '1@g.us' });
      await groupCreations.release(ids.customerId, 'k1');
      expect(await groupCreations.claim(claimOf(ids, 'k1', 60))).toMatchObject({ outcome: 'existing', record: { status: 'done', response: { group_id: '1@g.us' } } });
    });

    it('lets a retry take over a pending claim once it expired, and a released key be claimed again', async () => {
      const { groupCreations } = subject().repos;
      const ids = await newInstance();
      await groupCreations.claim(claimOf(ids, 'k2', 0));
      expect(await groupCreations.claim(claimOf(ids, 'k2', 29))).toMatchObject({ outcome: 'existing' });
      expect(await groupCreations.claim(claimOf(ids, 'k2', 30))).toEqual({ outcome: 'claimed' });
      await groupCreations.release(ids.customerId, 'k2');
      expect(await groupCreations.claim(claimOf(ids, 'k2', 31))).toEqual({ outcome: 'claimed' });
    });

    it("keeps each customer's keys to itself", async () => {
      const { groupCreations } = subject().repos;
      const a = await newInstance();
      const b = await newInstance();
      await groupCreations.claim(claimOf(a, 'shared', 0));
      expect(await groupCreations.claim(claimOf(b, 'shared', 0))).toEqual({ outcome: 'claimed' });
    });
  });
}
