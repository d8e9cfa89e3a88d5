import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../shared/index.js';
import { aCustomer } from '../fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

/** The behaviour every `CustomerRepository` must have. */
export function describeCustomerRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`CustomerRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);

    it('finds a created customer by id with every field intact', async () => {
      const { customers } = subject().repos;
      const customer = aCustomer({ name: 'Acme Ltd' });
      expect(await customers.create(customer)).toEqual(customer);
      expect(await customers.findById(customer.id)).toEqual(customer);
    });

    it('returns null for an unknown id', async () => {
      expect(await subject().repos.customers.findById(aCustomer().id)).toBeNull();
    });

    it('rejects a duplicate id as a conflict', async () => {
      const { customers } = subject().repos;
      const customer = aCustomer();
      await customers.create(customer);
      const error = await customers.create({ ...customer, name: 'Other' }).catch((e: unknown) => e);
      expect(isDomainError(error, 'conflict')).toBe(true);
    });

    it('lists customers newest first', async () => {
      const { customers } = subject().repos;
      const first = await customers.create(aCustomer());
      const second = await customers.create(aCustomer());
      const ids = (await customers.list()).map((c) => c.id).filter((id) => id === first.id || id === second.id);
      expect(ids).toEqual([second.id, first.id]);
    });

    it('reports that a customer exists once one was created', async () => {
      const { customers } = subject().repos;
      await customers.create(aCustomer());
      expect(await customers.any()).toBe(true);
    });
  });
}
