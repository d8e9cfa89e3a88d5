import { describe, expect, it } from 'vitest';
import { hashApiKeySecret } from './api-key-hash.js';
import { parseApiKey } from './api-key-format.js';
import { CLI_ACTOR } from '../shared/index.js';
import { codeOf, createUseCaseHarness, TEST_PEPPER } from '../testing/use-case-harness.js';

describe('createApiKey', () => {
  it('returns the full key once and stores only its prefix and HMAC', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const { apiKey, key } = await h.createApiKey(principal, { name: 'ci' });
    const parts = parseApiKey(key)!;
    expect(apiKey).toMatchObject({ prefix: parts.prefix, name: 'ci', instanceId: null });
    expect(apiKey).not.toHaveProperty('secretHash');
    const stored = await h.repos.apiKeys.findByPrefix(parts.prefix);
    expect(stored?.secretHash).toEqual(hashApiKeySecret(TEST_PEPPER, parts.prefix, parts.secret));
    expect(JSON.stringify([...h.uow.state.apiKeys.values(), ...h.uow.state.audit.values()])).not.toContain(
      parts.secret,
    );
  });

  it('audits the creation with the acting key, never the secret', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const { apiKey } = await h.createApiKey(principal, {});
    const [event] = (await h.listAuditEvents(principal, { limit: 1 })).data;
    expect(event).toMatchObject({
      action: 'api_key.created',
      targetId: apiKey.id,
      actor: { type: 'api_key', keyId: principal.keyId },
      data: { prefix: apiKey.prefix },
    });
  });

  it('lets the operator create a key for a customer, audited as cli', async () => {
    const h = createUseCaseHarness();
    const customer = await h.createCustomer({ name: 'Acme' }, CLI_ACTOR);
    const { apiKey, key } = await h.createApiKey({ customerId: customer.id, name: 'first' }, CLI_ACTOR);
    expect((await h.authenticator.authenticate(key)).keyId).toBe(apiKey.id);
    const events = await h.repos.audit.list(customer.id, { limit: 10 });
    expect(events.data[0]).toMatchObject({ action: 'api_key.created', actor: { type: 'cli' } });
  });

  it('answers not_found to the operator for an unknown customer', async () => {
    const h = createUseCaseHarness();
    expect(await codeOf(h.createApiKey({ customerId: 'cust_01JB0000000000000000000000' }, CLI_ACTOR))).toBe(
      'not_found',
    );
  });

  it('binds a key to an instance of the customer, and refuses one that is not theirs', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const stranger = await h.newTenant();
    const mine = await h.createInstance(principal, { name: 'a' });
    const theirs = await h.createInstance(stranger.principal, { name: 'b' });
    const { key } = await h.createApiKey(principal, { instanceId: mine.id });
    expect((await h.authenticator.authenticate(key)).instanceId).toBe(mine.id);
    expect(await codeOf(h.createApiKey(principal, { instanceId: theirs.id }))).toBe('not_found');
    expect(await codeOf(h.createApiKey({ customerId: principal.customerId, instanceId: theirs.id }, CLI_ACTOR))).toBe(
      'not_found',
    );
  });

  it('lets a bound key create only keys bound to its own instance', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const mine = await h.createInstance(principal, { name: 'a' });
    const sibling = await h.createInstance(principal, { name: 'b' });
    const bound = await h.boundPrincipal(principal, mine.id);
    expect(await codeOf(h.createApiKey(bound, {}))).toBe('forbidden');
    expect(await codeOf(h.createApiKey(bound, { instanceId: sibling.id }))).toBe('forbidden');
    expect(await codeOf(h.createApiKey(bound, { instanceId: mine.id }))).toBe('resolved');
  });

  it('rejects an expiry in the past and a bad name as invalid input', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    expect(await codeOf(h.createApiKey(principal, { expiresAt: h.clock.now() }))).toBe('invalid_input');
    expect(await codeOf(h.createApiKey(principal, { name: '' }))).toBe('invalid_input');
  });

  it('refuses the operator path to an API key actor', async () => {
    const h = createUseCaseHarness();
    const { principal, customerId } = await h.newTenant();
    const actor = { type: 'api_key', keyId: principal.keyId, customerId } as const;
    expect(await codeOf(h.createApiKey({ customerId }, actor))).toBe('forbidden');
  });
});

describe('listApiKeys', () => {
  it("lists the customer's keys newest first, never another customer's", async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    await h.newTenant();
    const second = await h.createApiKey(principal, {});
    const page = await h.listApiKeys(principal, { limit: 1 });
    expect(page.data.map((k) => k.id)).toEqual([second.apiKey.id]);
    const rest = await h.listApiKeys(principal, { limit: 1, cursor: page.nextCursor });
    expect(rest).toMatchObject({ data: [{ id: principal.keyId }], nextCursor: null });
  });

  it('shows a bound key only the keys bound to its instance', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: 'a' });
    const bound = await h.boundPrincipal(principal, instance.id);
    expect((await h.listApiKeys(bound)).data.map((k) => k.id)).toEqual([bound.keyId]);
  });
});
