import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock.js';
import { aCustomer, anInstance, aPrincipal } from '../testing/fixtures.js';
import { createInMemoryUnitOfWork } from '../testing/in-memory-unit-of-work.js';
import { readEventToken, signEventToken } from './event-token.js';
import { deriveEventTokenKey } from './event-token-key.js';
import { createMintEventToken } from './mint-event-token.js';
import { createVerifyEventToken } from './verify-event-token.js';

const key = deriveEventTokenKey('a-server-secret-of-enough-length');

async function setup() {
  const clock = createFakeClock();
  const uow = createInMemoryUnitOfWork({ clock });
  const customer = aCustomer();
  await uow.repos.customers.create(customer);
  const instance = await uow.repos.instances.create(anInstance(customer.id));
  const mint = createMintEventToken({ uow, clock, key });
  const verify = createVerifyEventToken({ clock, key });
  return { clock, uow, customer, instance, mint, verify, principal: aPrincipal(customer.id) };
}

describe('event tokens', () => {
  it('round-trips the claims and refuses any other key, a tampered payload or an API-key-shaped string', () => {
    const claims = { customerId: 'cust_1', instanceId: 'inst_1', keyId: 'key_1', expiresAt: new Date('2030-01-01T00:00:00Z') };
    const token = signEventToken(key, claims);
    expect(readEventToken(key, token)).toEqual(claims);
    expect(readEventToken(deriveEventTokenKey('another-server-secret-entirely'), token)).toBeNull();
    const [payload, signature] = token.slice('wiuevt_'.length).split('.');
    const other = Buffer.from(JSON.stringify({ v: 1, c: 'cust_2', i: null, k: 'key_1', e: 1893456000 })).toString('base64url');
    expect(readEventToken(key, `wiuevt_${other}.${signature}`)).toBeNull();
    expect(readEventToken(key, `wiuevt_${payload}.${signature}.x`)).toBeNull();
    expect(readEventToken(key, `wiu_${payload}.${signature}`)).toBeNull();
  });

  it('accepts only the canonical base64url form of a token, not re-encodings of the same bytes', () => {
    const clock = createFakeClock();
    const verify = createVerifyEventToken({ clock, key });
    const token = signEventToken(key, { customerId: 'cust_1', instanceId: null, keyId: 'key_1', expiresAt: new Date(clock.now().getTime() + 60_000) });
    expect(verify(token)).toMatchObject({ customerId: 'cust_1' });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const bytes = Buffer.from(token.split('.')[1]!, 'base64url');
    // 32 bytes fill 43 characters with 2 bits to spare: 3 other last characters decode to the same bytes.
    const variants = [...alphabet]
      .map((char) => `${token.slice(0, -1)}${char}`)
      .filter((variant) => variant !== token && Buffer.from(variant.split('.')[1]!, 'base64url').equals(bytes));
    expect(variants).toHaveLength(3);
    for (const variant of [...variants, `${token}=`, `${token}==`]) {
      expect(() => verify(variant), variant).toThrow(expect.objectContaining({ code: 'unauthenticated', details: { reason: 'invalid_token' } }));
    }
  });

  it('derives different keys from different secrets and refuses a short secret', () => {
    expect(deriveEventTokenKey('secret-number-one-xx').equals(deriveEventTokenKey('secret-number-two-xx'))).toBe(false);
    expect(() => deriveEventTokenKey('short')).toThrow(RangeError);
  });

  it('mints for the ttl asked (default 300 s) and the token verifies until then, not after', async () => {
    const h = await setup();
    const minted = await h.mint(h.principal, {});
    expect(minted.expiresAt.getTime() - h.clock.now().getTime()).toBeLessThanOrEqual(300_000);
    expect(minted.expiresAt.getTime() - h.clock.now().getTime()).toBeGreaterThan(299_000);
    expect(h.verify(minted.token)).toEqual({ customerId: h.customer.id, keyId: h.principal.keyId, instanceId: null });
    h.clock.advance(300_000);
    expect(() => h.verify(minted.token)).toThrow(expect.objectContaining({ code: 'unauthenticated', details: { reason: 'expired_token' } }));
  });

  it('refuses a ttl outside 1..3600 and an instance outside the caller scope', async () => {
    const h = await setup();
    for (const ttlSeconds of [0, 3601, 2.5]) {
      await expect(h.mint(h.principal, { ttlSeconds })).rejects.toMatchObject({ code: 'invalid_input' });
    }
    await expect(h.mint(h.principal, { instanceId: 'inst_missing' })).rejects.toMatchObject({ code: 'not_found' });
    const bound = { ...h.principal, instanceId: h.instance.id };
    expect((await h.mint(bound, {})).instanceId).toBe(h.instance.id);
    const other = await h.uow.repos.instances.create(anInstance(h.customer.id));
    await expect(h.mint(bound, { instanceId: other.id })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
