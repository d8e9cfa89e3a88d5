import { describe, expect, it } from 'vitest';
import { isDomainError, newId } from '../shared/index.js';
import type { ApiKeyRepository } from './api-key-repository.js';
import { createFakeClock } from '../testing/fake-clock.js';
import { aCustomer, anInstance } from '../testing/fixtures.js';
import { createInMemoryUnitOfWork } from '../testing/in-memory-unit-of-work.js';
import { createApiKeyAuthenticator, type ApiKeyAuthenticatorDeps } from './api-key-authenticator.js';
import { generateApiKey } from './api-key-format.js';
import { constantTimeEqual, hashApiKeySecret } from './api-key-hash.js';

const PEPPER = 'pepper';

/** Repositories whose key lookups and touches are counted (a wrapper, not a mock). */
async function setup(overrides: Partial<ApiKeyAuthenticatorDeps> = {}) {
  const clock = createFakeClock();
  const uow = createInMemoryUnitOfWork({ clock });
  const customer = await uow.repos.customers.create(aCustomer());
  const counts = { findByPrefix: 0, touches: [] as Map<string, Date>[] };
  let failTouch = false;
  const apiKeys: ApiKeyRepository = {
    ...uow.repos.apiKeys,
    findByPrefix: async (prefix) => (counts.findByPrefix++, uow.repos.apiKeys.findByPrefix(prefix)),
    touch: async (map) => {
      counts.touches.push(new Map(map));
      if (failTouch) throw new Error('database down');
      return uow.repos.apiKeys.touch(map);
    },
  };
  const repos = { apiKeys, instances: uow.repos.instances };
  const auth = createApiKeyAuthenticator({ repos, clock, pepper: PEPPER, ...overrides });
  async function newKey(extra: { instanceId?: string; expiresAt?: Date } = {}) {
    const generated = generateApiKey();
    const apiKey = await uow.repos.apiKeys.create({
      id: newId('apiKey'),
      customerId: customer.id,
      instanceId: extra.instanceId ?? null,
      name: null,
      parentKeyId: null,
      prefix: generated.prefix,
      secretHash: hashApiKeySecret(PEPPER, generated.prefix, generated.secret),
      createdAt: clock.now(),
      lastUsedAt: null,
      expiresAt: extra.expiresAt ?? null,
      revokedAt: null,
    });
    return { apiKey, key: generated.key };
  }
  return { clock, uow, customer, counts, auth, newKey, failTouches: (v: boolean) => (failTouch = v) };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => new Error('authenticated'), (e: Error) => e);
  expect(isDomainError(error, 'unauthenticated')).toBe(true);
  return error;
}

describe('createApiKeyAuthenticator', () => {
  it("returns the key's principal", async () => {
    const s = await setup();
    const instance = await s.uow.repos.instances.create(anInstance(s.customer.id));
    const { apiKey, key } = await s.newKey({ instanceId: instance.id });
    expect(await s.auth.authenticate(key)).toEqual({
      customerId: s.customer.id,
      keyId: apiKey.id,
      instanceId: instance.id,
    });
  });

  it('fails malformed, unknown, wrong-secret, revoked and expired keys alike, never echoing the key', async () => {
    const s = await setup();
    const { key } = await s.newKey();
    const revoked = await s.newKey();
    await s.uow.repos.apiKeys.revoke(s.customer.id, revoked.apiKey.id, s.clock.now());
    const expired = await s.newKey({ expiresAt: s.clock.now() });
    const wrongSecret = `${key.slice(0, 21)}${generateApiKey().secret}`;
    const candidates = ['nonsense', generateApiKey().key, wrongSecret, revoked.key, expired.key];
    const messages = new Set<string>();
    for (const candidate of candidates) {
      const error = await failure(s.auth.authenticate(candidate));
      expect(error.message).not.toContain(candidate.slice(4, 20));
      messages.add(error.message);
    }
    expect(messages.size).toBe(1);
  });

  it('reuses a verified key for the cache TTL, then looks it up again', async () => {
    const s = await setup({ cacheTtlMs: 5000 });
    const { key } = await s.newKey();
    await s.auth.authenticate(key);
    s.clock.advance(4999);
    await s.auth.authenticate(key);
    expect(s.counts.findByPrefix).toBe(1);
    s.clock.advance(1);
    await s.auth.authenticate(key);
    expect(s.counts.findByPrefix).toBe(2);
  });

  it('remembers an unknown prefix for a minute, so repeating it costs no lookup', async () => {
    const s = await setup();
    const unknownKey = generateApiKey().key;
    await failure(s.auth.authenticate(unknownKey));
    await failure(s.auth.authenticate(unknownKey));
    await failure(s.auth.authenticate(unknownKey));
    expect(s.counts.findByPrefix).toBe(1);
    s.clock.advance(60_000);
    await failure(s.auth.authenticate(unknownKey));
    expect(s.counts.findByPrefix).toBe(2);
  });

  it('keeps the unknown-prefix cache bounded, dropping the oldest first', async () => {
    const s = await setup({ maxUnknownPrefixes: 2 });
    const [first, second, third] = [generateApiKey().key, generateApiKey().key, generateApiKey().key];
    for (const key of [first!, second!, third!]) await failure(s.auth.authenticate(key));
    expect(s.counts.findByPrefix).toBe(3);
    await failure(s.auth.authenticate(third!));
    expect(s.counts.findByPrefix).toBe(3);
    await failure(s.auth.authenticate(first!));
    expect(s.counts.findByPrefix).toBe(4);
  });

  it('accepts a key created after other unknown keys were tried', async () => {
    const s = await setup();
    await failure(s.auth.authenticate(generateApiKey().key));
    const { apiKey, key } = await s.newKey();
    expect((await s.auth.authenticate(key)).keyId).toBe(apiKey.id);
  });

  it('still verifies the secret when the key is cached', async () => {
    const s = await setup();
    const { key } = await s.newKey();
    await s.auth.authenticate(key);
    await failure(s.auth.authenticate(`${key.slice(0, 21)}${generateApiKey().secret}`));
  });

  it('re-checks expiry against the clock on every call, cached or not', async () => {
    const s = await setup({ cacheTtlMs: 60_000 });
    const { key } = await s.newKey({ expiresAt: new Date(s.clock.now().getTime() + 3000) });
    await s.auth.authenticate(key);
    s.clock.advance(3000);
    await failure(s.auth.authenticate(key));
    expect(s.counts.findByPrefix).toBe(1);
  });

  it('forgets an invalidated key at once', async () => {
    const s = await setup({ cacheTtlMs: 60_000 });
    const { apiKey, key } = await s.newKey();
    await s.auth.authenticate(key);
    await s.uow.repos.apiKeys.revoke(s.customer.id, apiKey.id, s.clock.now());
    await s.auth.authenticate(key); // revoked elsewhere: served from cache until it expires
    s.auth.invalidate(apiKey.id);
    await failure(s.auth.authenticate(key));
  });

  it('fails a key bound to an instance that was deleted', async () => {
    const s = await setup();
    const instance = await s.uow.repos.instances.create(anInstance(s.customer.id));
    const { key } = await s.newKey({ instanceId: instance.id });
    await s.uow.repos.instances.softDelete(s.customer.id, instance.id, s.clock.now());
    await failure(s.auth.authenticate(key));
  });

  it('looks every call up when the cache is off', async () => {
    const s = await setup({ cacheTtlMs: 0 });
    const { key } = await s.newKey();
    await s.auth.authenticate(key);
    await s.auth.authenticate(key);
    expect(s.counts.findByPrefix).toBe(2);
  });

  it('compares hashes with the constant-time comparator', async () => {
    const compared: number[] = [];
    const s = await setup({ compare: (a, b) => (compared.push(a.length, b.length), constantTimeEqual(a, b)) });
    const { key } = await s.newKey();
    await s.auth.authenticate(key);
    await failure(s.auth.authenticate(`${key.slice(0, 21)}${generateApiKey().secret}`));
    expect(compared).toEqual([32, 32, 32, 32]);
  });

  it('writes last use in one batched touch per flush, not per request', async () => {
    const s = await setup();
    const a = await s.newKey();
    const b = await s.newKey();
    await s.auth.authenticate(a.key);
    s.clock.advance(1000);
    await s.auth.authenticate(b.key);
    const lastA = s.clock.advance(1000);
    await s.auth.authenticate(a.key);
    expect(s.counts.touches).toHaveLength(0);
    await s.auth.flushLastUsed();
    expect(s.counts.touches).toHaveLength(1);
    expect(s.counts.touches[0]?.get(a.apiKey.id)).toEqual(lastA);
    expect((await s.uow.repos.apiKeys.findById(s.customer.id, a.apiKey.id))?.lastUsedAt).toEqual(lastA);
    await s.auth.flushLastUsed();
    expect(s.counts.touches).toHaveLength(1);
  });

  it('keeps last-use times for the next flush when a flush fails', async () => {
    const s = await setup();
    const { apiKey, key } = await s.newKey();
    const at = s.clock.now();
    await s.auth.authenticate(key);
    s.failTouches(true);
    await expect(s.auth.flushLastUsed()).rejects.toThrow('database down');
    s.failTouches(false);
    await s.auth.flushLastUsed();
    expect((await s.uow.repos.apiKeys.findById(s.customer.id, apiKey.id))?.lastUsedAt).toEqual(at);
  });
});
