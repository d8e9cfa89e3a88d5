import { describe, expect, it } from 'vitest';
import { aCustomer, anInstance } from '../fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

/** The behaviour every `LidMappingRepository` must have. */
export function describeLidMappingRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`LidMappingRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const newInstance = async () => {
      const { repos } = subject();
      const customer = await repos.customers.create(aCustomer());
      const instance = await repos.instances.create(anInstance(customer.id, { status: 'connected' }));
      return { customerId: customer.id, instanceId: instance.id };
    };
    const learnedAt = new Date(Math.floor(Date.now() / 1000) * 1000);

    it('learns a LID once per customer: the first number wins, and a second record says it was known', async () => {
      const { lids } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      expect(await lids.record(customerId, { lid: '111@lid', phoneNumber: '4915112345678', instanceId, learnedAt })).toBe(true);
      expect(await lids.record(customerId, { lid: '111@lid', phoneNumber: '4915199999999', instanceId, learnedAt })).toBe(false);
      expect(await lids.phoneNumberOf(customerId, '111@lid')).toBe('4915112345678');
      expect(await lids.lidOf(customerId, '4915112345678')).toBe('111@lid');
      expect(await lids.phoneNumberOf(customerId, '222@lid')).toBeNull();
      expect(await lids.lidOf(customerId, '4915199999999')).toBeNull();
    });

    it("keeps each customer's mappings to itself", async () => {
      const { lids } = subject().repos;
      const mine = await newInstance();
      const theirs = await newInstance();
      await lids.record(mine.customerId, { lid: '333@lid', phoneNumber: '4915112345670', instanceId: mine.instanceId, learnedAt });
      expect(await lids.phoneNumberOf(theirs.customerId, '333@lid')).toBeNull();
      expect(await lids.lidOf(theirs.customerId, '4915112345670')).toBeNull();
      expect(await lids.record(theirs.customerId, { lid: '333@lid', phoneNumber: '4915112345670', instanceId: theirs.instanceId, learnedAt })).toBe(true);
    });

    it('says exactly one of concurrent records of one LID was new', async () => {
      const { lids } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      const results = await Promise.all(
        ['4915100000001', '4915100000002', '4915100000003'].map((phoneNumber) => lids.record(customerId, { lid: '444@lid', phoneNumber, instanceId, learnedAt })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
