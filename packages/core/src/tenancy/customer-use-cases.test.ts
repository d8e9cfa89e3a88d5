import { describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../shared/index.js';
import { codeOf, createUseCaseHarness } from '../testing/use-case-harness.js';

describe('createCustomer and listCustomers', () => {
  it('creates a customer with a trimmed name and audits it as cli', async () => {
    const h = createUseCaseHarness();
    const customer = await h.createCustomer({ name: '  Acme  ' }, CLI_ACTOR);
    expect(customer).toMatchObject({ name: 'Acme', createdAt: h.clock.now() });
    expect(customer.id).toMatch(/^cust_/);
    const events = await h.repos.audit.list(customer.id, { limit: 10 });
    expect(events.data).toMatchObject([{ action: 'customer.created', actor: { type: 'cli' }, targetId: customer.id }]);
  });

  it('rejects an empty or overlong name', async () => {
    const h = createUseCaseHarness();
    expect(await codeOf(h.createCustomer({ name: ' ' }, CLI_ACTOR))).toBe('invalid_input');
    expect(await codeOf(h.createCustomer({ name: 'x'.repeat(201) }, CLI_ACTOR))).toBe('invalid_input');
  });

  it('lists customers newest first', async () => {
    const h = createUseCaseHarness();
    const a = await h.createCustomer({ name: 'A' }, CLI_ACTOR);
    const b = await h.createCustomer({ name: 'B' }, CLI_ACTOR);
    expect((await h.listCustomers()).map((c) => c.id)).toEqual([b.id, a.id]);
  });

  it('keeps both operations away from API key actors', async () => {
    const h = createUseCaseHarness();
    const actor = { type: 'api_key', keyId: 'key_x', customerId: 'cust_x' } as const;
    expect(await codeOf(h.createCustomer({ name: 'A' }, actor))).toBe('forbidden');
    expect(await codeOf(h.listCustomers({}, actor))).toBe('forbidden');
  });
});

describe('listAuditEvents', () => {
  it("lists the customer's events newest first and never another customer's", async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const stranger = await h.newTenant();
    await h.createInstance(stranger.principal, { name: 'theirs' });
    const instance = await h.createInstance(principal, { name: 'mine' });
    const events = (await h.listAuditEvents(principal)).data;
    expect(events.map((e) => e.action)).toEqual(['instance.created', 'api_key.created', 'customer.created']);
    expect(events[0]?.targetId).toBe(instance.id);
  });

  it('shows a bound key only its instance, forbidding a request for another', async () => {
    const h = createUseCaseHarness();
    const { principal } = await h.newTenant();
    const mine = await h.createInstance(principal, { name: 'mine' });
    const sibling = await h.createInstance(principal, { name: 'sibling' });
    const bound = await h.boundPrincipal(principal, mine.id);
    const events = (await h.listAuditEvents(bound)).data;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.instanceId === mine.id)).toBe(true);
    expect(await codeOf(h.listAuditEvents(bound, { instanceId: sibling.id }))).toBe('forbidden');
  });
});
