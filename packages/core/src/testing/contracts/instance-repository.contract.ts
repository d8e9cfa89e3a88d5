import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../shared/index.js';
import { aCustomer, anInstance } from '../fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { describeInstanceStatusContract } from './instance-status.contract.js';
import { useContractSubject } from './use-contract-subject.js';

/** The behaviour every `InstanceRepository` must have. */
export function describeInstanceRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`InstanceRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const newCustomer = async (): Promise<string> => (await subject().repos.customers.create(aCustomer())).id;

    it('finds a created instance by id with every field intact', async () => {
      const { instances } = subject().repos;
      const customerId = await newCustomer();
      const instance = anInstance(customerId, { kind: 'sandbox', metadata: { team: 'sales', n: 2 } });
      expect(await instances.create(instance)).toEqual(instance);
      expect(await instances.findById(customerId, instance.id)).toEqual(instance);
    });

    it("counts every customer's live instances by status", async () => {
      const { instances } = subject().repos;
      // Other tests share the database: compare with what was there before.
      const before = await instances.countByStatus();
      const first = await newCustomer();
      const second = await newCustomer();
      await instances.create(anInstance(first, { status: 'connected' }));
      await instances.create(anInstance(second, { status: 'connected' }));
      await instances.create(anInstance(second, { status: 'disconnected' }));
      const gone = await instances.create(anInstance(first, { status: 'disconnected' }));
      await instances.softDelete(first, gone.id, new Date());
      const after = await instances.countByStatus();
      expect((after.connected ?? 0) - (before.connected ?? 0)).toBe(2);
      expect((after.disconnected ?? 0) - (before.disconnected ?? 0)).toBe(1);
    });

    it("returns null for another customer's instance and for an unknown id", async () => {
      const { instances } = subject().repos;
      const owner = await newCustomer();
      const other = await newCustomer();
      const instance = await instances.create(anInstance(owner));
      expect(await instances.findById(other, instance.id)).toBeNull();
      expect(await instances.findById(owner, anInstance(owner).id)).toBeNull();
    });

    it('lists newest first in pages: limit, cursor continues, null cursor on the last page', async () => {
      const { instances } = subject().repos;
      const customerId = await newCustomer();
      const [a, b, c] = [anInstance(customerId), anInstance(customerId), anInstance(customerId)];
      for (const instance of [a, b, c]) await instances.create(instance);
      const first = await instances.list(customerId, { limit: 2 });
      expect(first.data.map((i) => i.id)).toEqual([c.id, b.id]);
      expect(first.nextCursor).toBe(b.id);
      const second = await instances.list(customerId, { limit: 2, cursor: first.nextCursor });
      expect(second.data.map((i) => i.id)).toEqual([a.id]);
      expect(second.nextCursor).toBeNull();
      const exact = await instances.list(customerId, { limit: 3 });
      expect(exact.data).toHaveLength(3);
      expect(exact.nextCursor).toBeNull();
    });

    it("never lists another customer's instances", async () => {
      const { instances } = subject().repos;
      const owner = await newCustomer();
      const other = await newCustomer();
      await instances.create(anInstance(other));
      const mine = await instances.create(anInstance(owner));
      const page = await instances.list(owner, { limit: 100 });
      expect(page.data.map((i) => i.id)).toEqual([mine.id]);
    });

    it('lists only the given instance with onlyId', async () => {
      const { instances } = subject().repos;
      const customerId = await newCustomer();
      const wanted = await instances.create(anInstance(customerId));
      await instances.create(anInstance(customerId));
      const page = await instances.list(customerId, { limit: 100 }, { onlyId: wanted.id });
      expect(page.data.map((i) => i.id)).toEqual([wanted.id]);
    });

    it("rejects a name already used by the customer's live instance as a conflict", async () => {
      const { instances } = subject().repos;
      const customerId = await newCustomer();
      await instances.create(anInstance(customerId, { name: 'shop' }));
      const error = await instances.create(anInstance(customerId, { name: 'shop' })).catch((e: unknown) => e);
      expect(isDomainError(error, 'conflict')).toBe(true);
    });

    it('allows the same name for two customers', async () => {
      const { instances } = subject().repos;
      await instances.create(anInstance(await newCustomer(), { name: 'shop' }));
      await expect(instances.create(anInstance(await newCustomer(), { name: 'shop' }))).resolves.toBeTruthy();
    });

    it('soft-deletes: hidden from find and list, name freed, deletedAt and the disconnected status returned', async () => {
      const { instances } = subject().repos;
      const customerId = await newCustomer();
      const instance = await instances.create(anInstance(customerId, { name: 'old', status: 'connected' }));
      const at = new Date(Date.now() + 1000);
      const deleted = await instances.softDelete(customerId, instance.id, at);
      expect(deleted).toMatchObject({ id: instance.id, name: 'old', status: 'disconnected', statusReason: 'deleted', deletedAt: at });
      expect(await instances.findById(customerId, instance.id)).toBeNull();
      expect((await instances.list(customerId, { limit: 100 })).data).toEqual([]);
      expect(await instances.softDelete(customerId, instance.id, at)).toBeNull();
      await expect(instances.create(anInstance(customerId, { name: 'old' }))).resolves.toBeTruthy();
    });

    it("does not delete another customer's instance", async () => {
      const { instances } = subject().repos;
      const owner = await newCustomer();
      const instance = await instances.create(anInstance(owner));
      expect(await instances.softDelete(await newCustomer(), instance.id, new Date())).toBeNull();
      expect(await instances.findById(owner, instance.id)).toEqual(instance);
    });

    describeInstanceStatusContract(subject, newCustomer);
  });
}
