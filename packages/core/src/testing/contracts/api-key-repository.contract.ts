import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../shared/index.js';
import { withoutHash } from '../in-memory-state.js';
import { aCustomer, anInstance, aStoredApiKey } from '../fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { describeApiKeyRevocationContract } from './api-key-revocation.contract.js';
import { useContractSubject } from './use-contract-subject.js';

/** The behaviour every `ApiKeyRepository` must have. */
export function describeApiKeyRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`ApiKeyRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const newCustomer = async (): Promise<string> => (await subject().repos.customers.create(aCustomer())).id;
    const newInstance = async (customerId: string): Promise<string> =>
      (await subject().repos.instances.create(anInstance(customerId))).id;

    it('creates a key and returns it without its hash', async () => {
      const { apiKeys } = subject().repos;
      const customerId = await newCustomer();
      const key = aStoredApiKey(customerId, { name: 'ci', expiresAt: new Date(Date.now() + 60_000) });
      const created = await apiKeys.create(key);
      expect(created).toEqual(withoutHash(key));
      expect(created).not.toHaveProperty('secretHash');
      expect(await apiKeys.findById(customerId, key.id)).toEqual(withoutHash(key));
    });

    it('finds a key by prefix with its hash, whatever its state', async () => {
      const { apiKeys } = subject().repos;
      const customerId = await newCustomer();
      const key = aStoredApiKey(customerId, { instanceId: await newInstance(customerId) });
      await apiKeys.create(key);
      expect(await apiKeys.findByPrefix(key.prefix)).toEqual(key);
      await apiKeys.revoke(customerId, key.id, new Date());
      expect((await apiKeys.findByPrefix(key.prefix))?.revokedAt).toBeInstanceOf(Date);
      expect(await apiKeys.findByPrefix(aStoredApiKey(customerId).prefix)).toBeNull();
    });

    it('rejects a duplicate prefix as a conflict', async () => {
      const { apiKeys } = subject().repos;
      const customerId = await newCustomer();
      const key = await apiKeys.create(aStoredApiKey(customerId));
      const error = await apiKeys.create(aStoredApiKey(customerId, { prefix: key.prefix })).catch((e: unknown) => e);
      expect(isDomainError(error, 'conflict')).toBe(true);
    });

    it("returns null for another customer's key", async () => {
      const { apiKeys } = subject().repos;
      const key = await apiKeys.create(aStoredApiKey(await newCustomer()));
      expect(await apiKeys.findById(await newCustomer(), key.id)).toBeNull();
    });

    it('lists newest first in pages without hashes', async () => {
      const { apiKeys } = subject().repos;
      const customerId = await newCustomer();
      const [a, b, c] = [aStoredApiKey(customerId), aStoredApiKey(customerId), aStoredApiKey(customerId)];
      for (const key of [a, b, c]) await apiKeys.create(key);
      await apiKeys.create(aStoredApiKey(await newCustomer()));
      const first = await apiKeys.list(customerId, { limit: 2 });
      expect(first.data.map((k) => k.id)).toEqual([c.id, b.id]);
      expect(first.data[0]).not.toHaveProperty('secretHash');
      const second = await apiKeys.list(customerId, { limit: 2, cursor: first.nextCursor });
      expect(second.data.map((k) => k.id)).toEqual([a.id]);
      expect(second.nextCursor).toBeNull();
    });

    it('lists only keys bound to an instance when filtered by it', async () => {
      const { apiKeys } = subject().repos;
      const customerId = await newCustomer();
      const instanceId = await newInstance(customerId);
      const bound = await apiKeys.create(aStoredApiKey(customerId, { instanceId }));
      await apiKeys.create(aStoredApiKey(customerId));
      const page = await apiKeys.list(customerId, { limit: 100 }, { instanceId });
      expect(page.data.map((k) => k.id)).toEqual([bound.id]);
    });

    it('records last use for many keys in one touch, never moving it backwards', async () => {
      const { apiKeys } = subject().repos;
      const customerId = await newCustomer();
      const [a, b] = [await apiKeys.create(aStoredApiKey(customerId)), await apiKeys.create(aStoredApiKey(customerId))];
      const later = new Date(Date.now() + 10_000);
      const earlier = new Date(Date.now() - 10_000);
      await apiKeys.touch(new Map([[a.id, later], [b.id, earlier], [aStoredApiKey(customerId).id, later]]));
      expect((await apiKeys.findById(customerId, a.id))?.lastUsedAt).toEqual(later);
      expect((await apiKeys.findById(customerId, b.id))?.lastUsedAt).toEqual(earlier);
      await apiKeys.touch(new Map([[a.id, earlier]]));
      expect((await apiKeys.findById(customerId, a.id))?.lastUsedAt).toEqual(later);
      await expect(apiKeys.touch(new Map())).resolves.toBeUndefined();
    });

    describeApiKeyRevocationContract(subject, newCustomer, newInstance);
  });
}
