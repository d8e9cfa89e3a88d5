import { describe, expect, it } from 'vitest';
import { createInMemoryRepositories } from '../testing/in-memory-repositories.js';
import { codeOf, createUseCaseHarness } from '../testing/use-case-harness.js';

describe('createInstance', () => {
  it('creates a pending whatsapp instance by default and audits it with the acting key', async () => {
    const h = createUseCaseHarness();
    const { principal, customerId } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: '  shop  ', metadata: { team: 'a' } });
    expect(instance).toMatchObject({ name: 'shop', kind: 'whatsapp', status: 'pending', customerId });
    expect(instance.metadata).toEqual({ team: 'a' });
    expect(instance.id).toMatch(/^inst_/);
    const [event] = (await h.listAuditEvents(principal, { instanceId: instance.id })).data;
    expect(event).toMatchObject({
      action: 'instance.created',
      targetId: instance.id,
      actor: { type: 'api_key', keyId: principal.keyId, customerId },
    });
  });

  it('creates a sandbox instance when asked', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    expect((await h.createInstance(principal, { name: 'test', kind: 'sandbox' })).kind).toBe('sandbox');
  });

  it('rejects a bad name, kind or metadata as invalid input', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    expect(await codeOf(h.createInstance(principal, { name: '   ' }))).toBe('invalid_input');
    expect(await codeOf(h.createInstance(principal, { name: 'x'.repeat(101) }))).toBe('invalid_input');
    expect(await codeOf(h.createInstance(principal, { name: 'a', kind: 'telegram' as 'sandbox' }))).toBe(
      'invalid_input',
    );
    expect(await codeOf(h.createInstance(principal, { name: 'a', metadata: [] as unknown as {} }))).toBe(
      'invalid_input',
    );
    // The metadata limits of the HTTP schema hold for a caller that skips the edge too.
    const tooManyKeys = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, index]));
    expect(await codeOf(h.createInstance(principal, { name: 'a', metadata: tooManyKeys }))).toBe('invalid_input');
  });

  it('rejects a duplicate live name as a conflict and frees it on delete', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const first = await h.createInstance(principal, { name: 'shop' });
    expect(await codeOf(h.createInstance(principal, { name: 'shop' }))).toBe('conflict');
    await h.deleteInstance(principal, { id: first.id });
    expect(await codeOf(h.createInstance(principal, { name: 'shop' }))).toBe('resolved');
  });

  it('forbids a key bound to an instance from creating instances', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: 'a' });
    const bound = await h.boundPrincipal(principal, instance.id);
    expect(await codeOf(h.createInstance(bound, { name: 'b' }))).toBe('forbidden');
  });

  it('writes nothing when the audit append fails in the same transaction', async () => {
    const h = createUseCaseHarness({
      createRepositories: (state, clock) => ({
        ...createInMemoryRepositories(state, clock),
        audit: {
          append: async () => Promise.reject(new Error('audit down')),
          list: async () => ({ data: [], nextCursor: null }),
        },
      }),
    });
    const customerId = 'cust_01JB0000000000000000000000';
    await h.repos.customers.create({ id: customerId, name: 'c', createdAt: new Date() });
    const principal = { customerId, keyId: 'key_01JB0000000000000000000000', instanceId: null };
    await expect(h.createInstance(principal, { name: 'shop' })).rejects.toThrow('audit down');
    expect((await h.listInstances(principal)).data).toEqual([]);
  });
});

describe('listInstances and getInstance', () => {
  it('lists newest first with a cursor', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const a = await h.createInstance(principal, { name: 'a' });
    const b = await h.createInstance(principal, { name: 'b' });
    const c = await h.createInstance(principal, { name: 'c' });
    const first = await h.listInstances(principal, { limit: 2 });
    expect(first.data.map((i) => i.id)).toEqual([c.id, b.id]);
    const second = await h.listInstances(principal, { limit: 2, cursor: first.nextCursor });
    expect(second).toEqual({ data: [a], nextCursor: null });
  });

  it('rejects a limit outside 1..100', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    expect(await codeOf(h.listInstances(principal, { limit: 0 }))).toBe('invalid_input');
    expect(await codeOf(h.listInstances(principal, { limit: 101 }))).toBe('invalid_input');
    expect(await codeOf(h.listInstances(principal, { limit: 1.5 }))).toBe('invalid_input');
  });

  it("answers not_found for another customer's instance, in reads and deletes", async () => {
    const h = createUseCaseHarness();
    const owner = await h.newTenant();
    const stranger = await h.newTenant();
    const instance = await h.createInstance(owner.principal, { name: 'a' });
    expect(await codeOf(h.getInstance(stranger.principal, { id: instance.id }))).toBe('not_found');
    expect(await codeOf(h.deleteInstance(stranger.principal, { id: instance.id }))).toBe('not_found');
    expect((await h.listInstances(stranger.principal)).data).toEqual([]);
    expect(await codeOf(h.getInstance(owner.principal, { id: instance.id }))).toBe('resolved');
  });

  it('shows a key bound to an instance only that instance', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const mine = await h.createInstance(principal, { name: 'mine' });
    const sibling = await h.createInstance(principal, { name: 'sibling' });
    const bound = await h.boundPrincipal(principal, mine.id);
    expect((await h.listInstances(bound)).data.map((i) => i.id)).toEqual([mine.id]);
    expect((await h.getInstance(bound, { id: mine.id })).id).toBe(mine.id);
    expect(await codeOf(h.getInstance(bound, { id: sibling.id }))).toBe('forbidden');
    expect(await codeOf(h.deleteInstance(bound, { id: sibling.id }))).toBe('forbidden');
  });

  it("gives a bound key not_found, not forbidden, for another customer's instance", async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const stranger = await h.newTenant();
    const bound = await h.boundPrincipal(principal, (await h.createInstance(principal, { name: 'a' })).id);
    const theirs = await h.createInstance(stranger.principal, { name: 'b' });
    expect(await codeOf(h.getInstance(bound, { id: theirs.id }))).toBe('not_found');
  });
});
