import { describe, expect, it } from 'vitest';
import { DomainError, isDomainError } from '../../shared/index.js';
import { aCustomer, anInstance } from '../fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

/** The transaction semantics every `UnitOfWork` must have. */
export function describeUnitOfWorkContract(name: string, setup: ContractSetup): void {
  describe(`UnitOfWork contract: ${name}`, () => {
    const subject = useContractSubject(setup);

    it("commits everything the work wrote and returns the work's result", async () => {
      const { uow } = subject();
      const customer = aCustomer();
      const instance = anInstance(customer.id);
      const result = await uow.transaction(async (repos) => {
        await repos.customers.create(customer);
        await repos.instances.create(instance);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await uow.repos.instances.findById(customer.id, instance.id)).toEqual(instance);
    });

    it('rolls back everything when the work throws, rethrowing the same error', async () => {
      const { uow } = subject();
      const customer = aCustomer();
      const instance = anInstance(customer.id);
      const boom = new Error('boom');
      const thrown = await uow
        .transaction(async (repos) => {
          await repos.customers.create(customer);
          await repos.instances.create(instance);
          await repos.audit.append({
            customerId: customer.id,
            actor: { type: 'cli' },
            action: 'instance.created',
            targetType: 'instance',
            targetId: instance.id,
            instanceId: instance.id,
            data: {},
          });
          throw boom;
        })
        .catch((e: unknown) => e);
      expect(thrown).toBe(boom);
      expect(await uow.repos.customers.findById(customer.id)).toBeNull();
      expect(await uow.repos.instances.findById(customer.id, instance.id)).toBeNull();
      expect((await uow.repos.audit.list(customer.id, { limit: 10 })).data).toEqual([]);
    });

    it('rolls back earlier writes when a repository raises a conflict', async () => {
      const { uow } = subject();
      const customer = await uow.repos.customers.create(aCustomer());
      const first = anInstance(customer.id, { name: 'taken' });
      const error = await uow
        .transaction(async (repos) => {
          await repos.instances.create(first);
          await repos.instances.create(anInstance(customer.id, { name: 'taken' }));
        })
        .catch((e: unknown) => e);
      expect(isDomainError(error, 'conflict')).toBe(true);
      expect(await uow.repos.instances.findById(customer.id, first.id)).toBeNull();
    });

    it('runs afterCommit effects only after the commit, in order', async () => {
      const { uow } = subject();
      const customer = aCustomer();
      const seen: string[] = [];
      await uow.transaction(async (repos, tx) => {
        await repos.customers.create(customer);
        tx.afterCommit(async () => {
          const committed = await uow.repos.customers.findById(customer.id);
          seen.push(committed === null ? 'not committed' : 'first');
        });
        tx.afterCommit(() => void seen.push('second'));
        seen.push('work done');
      });
      expect(seen).toEqual(['work done', 'first', 'second']);
    });

    it('never runs afterCommit effects of a rolled-back transaction', async () => {
      const { uow } = subject();
      let ran = false;
      await expect(
        uow.transaction(async (_repos, tx) => {
          tx.afterCommit(() => {
            ran = true;
          });
          throw new DomainError('invalid_input', 'no');
        }),
      ).rejects.toThrow('no');
      expect(ran).toBe(false);
    });

    it('does not fail the caller when an effect throws, and still runs the next effects', async () => {
      const { uow } = subject();
      let later = false;
      const result = await uow.transaction(async (_repos, tx) => {
        tx.afterCommit(() => {
          throw new Error('effect failed');
        });
        tx.afterCommit(() => {
          later = true;
        });
        return 42;
      });
      expect(result).toBe(42);
      expect(later).toBe(true);
    });
  });
}
