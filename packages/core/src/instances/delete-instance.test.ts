import { describe, expect, it } from 'vitest';
import type { InstanceSessionStopper } from './delete-instance.js';
import { codeOf, createUseCaseHarness } from '../testing/use-case-harness.js';

function recordingSessions(fail = false): InstanceSessionStopper & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    async stop(instanceId, opts) {
      calls.push([instanceId, opts]);
      if (fail) throw new Error('socket stuck');
    },
  };
}

describe('deleteInstance', () => {
  it('soft-deletes, revokes the keys bound to it and audits both in one event', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: 'shop' });
    const bound = await h.createApiKey(principal, { instanceId: instance.id });
    const deleted = await h.deleteInstance(principal, { id: instance.id });
    expect(deleted.deletedAt).toEqual(h.clock.now());
    expect(await codeOf(h.getInstance(principal, { id: instance.id }))).toBe('not_found');
    expect((await h.repos.apiKeys.findById(principal.customerId, bound.apiKey.id))?.revokedAt).toEqual(h.clock.now());
    expect((await h.repos.apiKeys.findById(principal.customerId, principal.keyId))?.revokedAt).toBeNull();
    const [event] = (await h.listAuditEvents(principal, { instanceId: instance.id })).data;
    expect(event).toMatchObject({
      action: 'instance.deleted',
      targetId: instance.id,
      actor: { type: 'api_key', keyId: principal.keyId },
      data: { name: 'shop', revoked_api_key_ids: [bound.apiKey.id] },
    });
  });

  it('makes the keys bound to the deleted instance fail at once', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: 'shop' });
    const { key } = await h.createApiKey(principal, { instanceId: instance.id });
    await h.authenticator.authenticate(key); // now cached
    await h.deleteInstance(principal, { id: instance.id });
    expect(await codeOf(h.authenticator.authenticate(key))).toBe('unauthenticated');
  });

  it('stops and logs out the session before deleting', async () => {
    const sessions = recordingSessions();
    const h = createUseCaseHarness({ sessions });
    const { principal } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: 'shop' });
    await h.deleteInstance(principal, { id: instance.id });
    expect(sessions.calls).toEqual([[instance.id, { logout: true }]]);
  });

  it('keeps the instance when stopping its session fails', async () => {
    const h = createUseCaseHarness({ sessions: recordingSessions(true) });
    const { principal } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: 'shop' });
    await expect(h.deleteInstance(principal, { id: instance.id })).rejects.toThrow('socket stuck');
    expect((await h.getInstance(principal, { id: instance.id })).deletedAt).toBeNull();
  });

  it('does not touch the session of an instance it may not see', async () => {
    const sessions = recordingSessions();
    const h = createUseCaseHarness({ sessions });
    const owner = await h.newTenant();
    const stranger = await h.newTenant();
    const instance = await h.createInstance(owner.principal, { name: 'shop' });
    expect(await codeOf(h.deleteInstance(stranger.principal, { id: instance.id }))).toBe('not_found');
    expect(sessions.calls).toEqual([]);
  });

  it('answers not_found for an instance deleted already', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: 'shop' });
    await h.deleteInstance(principal, { id: instance.id });
    expect(await codeOf(h.deleteInstance(principal, { id: instance.id }))).toBe('not_found');
  });

  it('lets a bound key delete its own instance', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: 'shop' });
    const bound = await h.boundPrincipal(principal, instance.id);
    expect((await h.deleteInstance(bound, { id: instance.id })).id).toBe(instance.id);
  });
});
