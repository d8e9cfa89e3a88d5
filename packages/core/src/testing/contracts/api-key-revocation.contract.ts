import { expect, it } from 'vitest';
import { aStoredApiKey } from '../fixtures.js';
import type { SubjectHandle } from './contract-subject.js';

/** Revocation in `ApiKeyRepository`; called inside its contract's `describe`. */
export function describeApiKeyRevocationContract(
  subject: SubjectHandle,
  newCustomer: () => Promise<string>,
  newInstance: (customerId: string) => Promise<string>,
): void {
  it('revokes once: a second revoke keeps the first time', async () => {
    const { apiKeys } = subject().repos;
    const customerId = await newCustomer();
    const key = await apiKeys.create(aStoredApiKey(customerId));
    const first = new Date(Date.now() + 1000);
    expect(await apiKeys.revoke(customerId, key.id, first)).toMatchObject({ id: key.id, revokedAt: first });
    const again = await apiKeys.revoke(customerId, key.id, new Date(Date.now() + 5000));
    expect(again?.revokedAt).toEqual(first);
  });

  it("does not revoke another customer's key", async () => {
    const { apiKeys } = subject().repos;
    const owner = await newCustomer();
    const key = await apiKeys.create(aStoredApiKey(owner));
    expect(await apiKeys.revoke(await newCustomer(), key.id, new Date())).toBeNull();
    expect((await apiKeys.findById(owner, key.id))?.revokedAt).toBeNull();
  });

  it('revokes every live key bound to an instance and only those', async () => {
    const { apiKeys } = subject().repos;
    const customerId = await newCustomer();
    const [instanceId, otherInstance] = [await newInstance(customerId), await newInstance(customerId)];
    const earlier = new Date(Date.now() - 60_000);
    const b1 = await apiKeys.create(aStoredApiKey(customerId, { instanceId }));
    const b2 = await apiKeys.create(aStoredApiKey(customerId, { instanceId }));
    const alreadyRevoked = await apiKeys.create(aStoredApiKey(customerId, { instanceId, revokedAt: earlier }));
    const unbound = await apiKeys.create(aStoredApiKey(customerId));
    const elsewhere = await apiKeys.create(aStoredApiKey(customerId, { instanceId: otherInstance }));
    const at = new Date();
    const ids = await apiKeys.revokeForInstance(customerId, instanceId, at);
    expect([...ids].sort()).toEqual([b1.id, b2.id].sort());
    expect((await apiKeys.findById(customerId, b1.id))?.revokedAt).toEqual(at);
    expect((await apiKeys.findById(customerId, alreadyRevoked.id))?.revokedAt).toEqual(earlier);
    expect((await apiKeys.findById(customerId, unbound.id))?.revokedAt).toBeNull();
    expect((await apiKeys.findById(customerId, elsewhere.id))?.revokedAt).toBeNull();
  });

  it('revokes every live descendant of a key, not the key, nothing else', async () => {
    const { apiKeys } = subject().repos;
    const customerId = await newCustomer();
    const root = await apiKeys.create(aStoredApiKey(customerId));
    const child = await apiKeys.create(aStoredApiKey(customerId, { parentKeyId: root.id }));
    const grandchild = await apiKeys.create(aStoredApiKey(customerId, { parentKeyId: child.id }));
    const earlier = new Date(Date.now() - 60_000);
    const revokedChild = await apiKeys.create(aStoredApiKey(customerId, { parentKeyId: root.id }));
    await apiKeys.revoke(customerId, revokedChild.id, earlier);
    const unrelated = await apiKeys.create(aStoredApiKey(customerId));
    const at = new Date();
    expect(await apiKeys.revokeDescendants(await newCustomer(), root.id, at)).toEqual([]);
    const revoked = await apiKeys.revokeDescendants(customerId, root.id, at);
    expect(revoked.map((key) => key.id).sort()).toEqual([child.id, grandchild.id].sort());
    expect((await apiKeys.findById(customerId, root.id))?.revokedAt).toBeNull();
    expect((await apiKeys.findById(customerId, revokedChild.id))?.revokedAt).toEqual(earlier);
    expect((await apiKeys.findById(customerId, unrelated.id))?.revokedAt).toBeNull();
    expect((await apiKeys.findById(customerId, grandchild.id))?.parentKeyId).toBe(child.id);
  });

  it('refuses a child of a revoked key (forbidden)', async () => {
    const { apiKeys } = subject().repos;
    const customerId = await newCustomer();
    const parent = await apiKeys.create(aStoredApiKey(customerId));
    await apiKeys.revoke(customerId, parent.id, new Date());
    await expect(apiKeys.create(aStoredApiKey(customerId, { parentKeyId: parent.id }))).rejects.toMatchObject({ code: 'forbidden' });
  });

  it("revokes nothing for another customer's instance", async () => {
    const { apiKeys } = subject().repos;
    const owner = await newCustomer();
    const instanceId = await newInstance(owner);
    const key = await apiKeys.create(aStoredApiKey(owner, { instanceId }));
    expect(await apiKeys.revokeForInstance(await newCustomer(), instanceId, new Date())).toEqual([]);
    expect((await apiKeys.findById(owner, key.id))?.revokedAt).toBeNull();
  });
}
