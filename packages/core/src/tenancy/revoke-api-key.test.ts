import { describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../shared/index.js';
import { codeOf, createUseCaseHarness } from '../testing/use-case-harness.js';

describe('revokeApiKey', () => {
  it('revokes a key, audits it, and the key fails at once in this process', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const { apiKey, key } = await h.createApiKey(principal, {});
    await h.authenticator.authenticate(key); // now cached
    const revoked = await h.revokeApiKey(principal, { id: apiKey.id });
    expect(revoked.revokedAt).toEqual(h.clock.now());
    expect(await codeOf(h.authenticator.authenticate(key))).toBe('unauthenticated');
    const [event] = (await h.listAuditEvents(principal, { limit: 1 })).data;
    expect(event).toMatchObject({ action: 'api_key.revoked', targetId: apiKey.id, data: { prefix: apiKey.prefix } });
  });

  it('is idempotent: a second revoke keeps the first time and writes no second audit row', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const { apiKey } = await h.createApiKey(principal, {});
    const first = await h.revokeApiKey(principal, { id: apiKey.id });
    h.clock.advance(1000);
    const second = await h.revokeApiKey(principal, { id: apiKey.id });
    expect(second.revokedAt).toEqual(first.revokedAt);
    const revocations = (await h.listAuditEvents(principal, { limit: 100 })).data.filter(
      (e) => e.action === 'api_key.revoked',
    );
    expect(revocations).toHaveLength(1);
  });

  it("answers not_found for another customer's key and leaves it working", async () => {
    const h = createUseCaseHarness();
    const owner = await h.newTenant();
    const stranger = await h.newTenant();
    expect(await codeOf(h.revokeApiKey(stranger.principal, { id: owner.principal.keyId }))).toBe('not_found');
    expect(await codeOf(h.authenticator.authenticate(owner.key))).toBe('resolved');
  });

  it('lets a bound key revoke only keys bound to its instance', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: 'a' });
    const bound = await h.boundPrincipal(principal, instance.id);
    const sibling = await h.createApiKey(principal, { instanceId: instance.id });
    expect(await codeOf(h.revokeApiKey(bound, { id: principal.keyId }))).toBe('forbidden');
    expect(await codeOf(h.revokeApiKey(bound, { id: sibling.apiKey.id }))).toBe('resolved');
  });

  it('lets the operator revoke by id alone, audited as cli', async () => {
    const h = createUseCaseHarness();
    await h.newTenant();
    const { principal, customerId, key } = await h.newTenant();
    const revoked = await h.revokeApiKey({ id: principal.keyId }, CLI_ACTOR);
    expect(revoked.customerId).toBe(customerId);
    expect(await codeOf(h.authenticator.authenticate(key))).toBe('unauthenticated');
    const events = await h.repos.audit.list(customerId, { limit: 1 });
    expect(events.data[0]).toMatchObject({ action: 'api_key.revoked', actor: { type: 'cli' } });
  });

  it('answers not_found to the operator for an unknown key or the wrong customer', async () => {
    const h = createUseCaseHarness();
    const owner = await h.newTenant();
    const other = await h.newTenant();
    expect(await codeOf(h.revokeApiKey({ id: 'key_01JB0000000000000000000000' }, CLI_ACTOR))).toBe('not_found');
    const wrongCustomer = { id: owner.principal.keyId, customerId: other.customerId };
    expect(await codeOf(h.revokeApiKey(wrongCustomer, CLI_ACTOR))).toBe('not_found');
  });
});
