import { describe, expect, it } from 'vitest';
import { isDomainError } from '../shared/index.js';
import { codeOf, createUseCaseHarness } from '../testing/use-case-harness.js';

const inSeconds = (h: { clock: { now(): Date } }, seconds: number) => new Date(h.clock.now().getTime() + seconds * 1000);

async function shortLivedPrincipal(h: ReturnType<typeof createUseCaseHarness>, seconds: number) {
  const { principal } = await h.newTenant();
  const parent = await h.createApiKey(principal, { expiresAt: inSeconds(h, seconds) });
  return { root: principal, principal: await h.authenticator.authenticate(parent.key), parent: parent.apiKey };
}

describe('a key created with a key', () => {
  it('inherits the creating key’s expiry when none is given', async () => {
    const h = createUseCaseHarness();
    const { principal, parent } = await shortLivedPrincipal(h, 40);
    const { apiKey } = await h.createApiKey(principal, {});
    expect(apiKey.expiresAt).toEqual(parent.expiresAt);
    expect(apiKey.parentKeyId).toBe(parent.id);
  });

  it('may not expire after the creating key (invalid_input, naming the latest allowed time)', async () => {
    const h = createUseCaseHarness();
    const { principal, parent } = await shortLivedPrincipal(h, 40);
    const error = await h.createApiKey(principal, { expiresAt: new Date('2999-01-01T00:00:00Z') }).catch((e: unknown) => e);
    expect(isDomainError(error, 'invalid_input') && error.details).toMatchObject({ field: 'expires_at', max: parent.expiresAt?.toISOString() });
    const earlier = inSeconds(h, 20);
    expect((await h.createApiKey(principal, { expiresAt: earlier })).apiKey.expiresAt).toEqual(earlier);
  });

  it('is revoked with its parent and with every ancestor, each revocation audited', async () => {
    const h = createUseCaseHarness();
    const { root, principal: child } = await shortLivedPrincipal(h, 3600);
    const grandchild = await h.createApiKey(child, {});
    const sibling = await h.createApiKey(root, {});
    await h.authenticator.authenticate(grandchild.key); // cached: the revocation must evict it

    await h.revokeApiKey(root, { id: child.keyId });

    expect(await codeOf(h.authenticator.authenticate(grandchild.key))).toBe('unauthenticated');
    expect(await codeOf(h.authenticator.authenticate(sibling.key))).toBe('resolved');
    const events = (await h.listAuditEvents(root, { limit: 100 })).data.filter((e) => e.action === 'api_key.revoked');
    expect(events.map((e) => [e.targetId, e.data['revoked_with'] ?? null]).sort()).toEqual(
      [[child.keyId, null], [grandchild.apiKey.id, child.keyId]].sort(),
    );
  });

  it('cannot be made by a key revoked meanwhile', async () => {
    const h = createUseCaseHarness();
    const { root, principal } = await shortLivedPrincipal(h, 3600);
    await h.revokeApiKey(root, { id: principal.keyId });
    expect(await codeOf(h.createApiKey(principal, {}))).toBe('forbidden');
  });

  it('keeps operator-created keys unbounded and parentless', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const root = await h.repos.apiKeys.findById(principal.customerId, principal.keyId);
    expect(root).toMatchObject({ parentKeyId: null, expiresAt: null });
  });
});
