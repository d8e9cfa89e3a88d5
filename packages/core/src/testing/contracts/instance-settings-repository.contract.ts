import { describe, expect, it } from 'vitest';
import { aCustomer, anInstance } from '../fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

/** The behaviour every `InstanceSettingsRepository` must have. */
export function describeInstanceSettingsRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`InstanceSettingsRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const newInstance = async () => {
      const { repos } = subject();
      const customer = await repos.customers.create(aCustomer());
      const instance = await repos.instances.create(anInstance(customer.id, { status: 'connected' }));
      return { customerId: customer.id, instanceId: instance.id };
    };
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const settings = { rejectCalls: true, callReplyText: 'Busy', alwaysOnline: false, sendReadReceipts: true, updatedAt: at };

    it('has nothing for an instance never changed, then what was saved, replaced by the next save', async () => {
      const { instanceSettings } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      expect(await instanceSettings.find(customerId, instanceId)).toBeNull();
      expect(await instanceSettings.save(customerId, instanceId, settings)).toEqual(settings);
      expect(await instanceSettings.find(customerId, instanceId)).toEqual(settings);
      const later = { ...settings, callReplyText: null, alwaysOnline: true, updatedAt: new Date(at.getTime() + 1_000) };
      await instanceSettings.save(customerId, instanceId, later);
      expect(await instanceSettings.find(customerId, instanceId)).toEqual(later);
    });

    it("keeps each customer's settings to itself", async () => {
      const { instanceSettings } = subject().repos;
      const mine = await newInstance();
      const theirs = await newInstance();
      await instanceSettings.save(mine.customerId, mine.instanceId, settings);
      expect(await instanceSettings.find(theirs.customerId, mine.instanceId)).toBeNull();
      await expect(instanceSettings.save(theirs.customerId, mine.instanceId, { ...settings, rejectCalls: false })).rejects.toThrow();
      expect(await instanceSettings.find(mine.customerId, mine.instanceId)).toEqual(settings);
    });
  });
}
