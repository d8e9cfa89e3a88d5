import { describe, expect, it } from 'vitest';
import { codeOf } from '../../testing/use-case-harness.js';
import { createWebhookHarness, UNSAFE_HOST } from '../../testing/webhook-harness.js';

describe('webhook endpoint use cases', () => {
  it('creates an endpoint with normalised events, returns a whsec_ secret once and audits it', async () => {
    const h = createWebhookHarness();
    const { principal } = await h.newTenant();
    const created = await h.createEndpoint(principal, {
      url: 'https://hooks.example.com/in',
      events: ['message.received', 'message.received', 'instance.connected'],
      description: '  main  ',
    });
    expect(created.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.endpoint).toMatchObject({
      events: ['message.received', 'instance.connected'],
      description: 'main',
      enabled: true,
      instanceId: null,
    });
    expect(created.endpoint).not.toHaveProperty('secret');
    const [audit] = (await h.listAuditEvents(principal)).data;
    expect(audit).toMatchObject({ action: 'webhook_endpoint.created', targetId: created.endpoint.id });
  });

  it('refuses an unsafe URL with unsafe_url and stores nothing', async () => {
    const h = createWebhookHarness();
    const { principal } = await h.newTenant();
    expect(await codeOf(h.createEndpoint(principal, { url: `http://${UNSAFE_HOST}/latest`, events: ['*'] }))).toBe('unsafe_url');
    expect((await h.listEndpoints(principal)).data).toEqual([]);
  });

  it('rejects unknown events and malformed supplied secrets, and accepts a well-formed one', async () => {
    const h = createWebhookHarness();
    const { principal } = await h.newTenant();
    const url = 'https://hooks.example.com/in';
    expect(await codeOf(h.createEndpoint(principal, { url, events: ['message.exploded'] }))).toBe('invalid_input');
    expect(await codeOf(h.createEndpoint(principal, { url, events: [] }))).toBe('invalid_input');
    expect(await codeOf(h.createEndpoint(principal, { url, events: ['*'], signingSecret: 'whsec_short' }))).toBe('invalid_input');
    const mine = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect((await h.createEndpoint(principal, { url, events: ['*'], signingSecret: mine })).signingSecret).toBe(mine);
  });

  it("binds to the customer's live instance only", async () => {
    const h = createWebhookHarness();
    const owner = await h.newTenant();
    const stranger = await h.newTenant();
    const instance = await h.createInstance(owner.principal, { name: 'shop' });
    const input = { url: 'https://hooks.example.com/in', events: ['*'], instanceId: instance.id };
    expect((await h.createEndpoint(owner.principal, input)).endpoint.instanceId).toBe(instance.id);
    expect(await codeOf(h.createEndpoint(stranger.principal, input))).toBe('not_found');
    // Even a key of the stranger bound to its own instance gets 404, not 403, for the owner's instance.
    const theirs = await h.createInstance(stranger.principal, { name: 'theirs' });
    const strangerBound = await h.boundPrincipal(stranger.principal, theirs.id);
    expect(await codeOf(h.createEndpoint(strangerBound, input))).toBe('not_found');
  });

  it('lets a key bound to an instance manage only endpoints of that instance', async () => {
    const h = createWebhookHarness();
    const { principal } = await h.newTenant();
    const shop = await h.createInstance(principal, { name: 'shop' });
    const other = await h.createInstance(principal, { name: 'other' });
    const bound = await h.boundPrincipal(principal, shop.id);
    const url = 'https://hooks.example.com/in';
    expect(await codeOf(h.createEndpoint(bound, { url, events: ['*'] }))).toBe('forbidden');
    expect(await codeOf(h.createEndpoint(bound, { url, events: ['*'], instanceId: other.id }))).toBe('forbidden');
    const own = await h.createEndpoint(bound, { url, events: ['*'], instanceId: shop.id });
    const unbound = await h.createEndpoint(principal, { url, events: ['*'] });
    expect((await h.listEndpoints(bound)).data.map((e) => e.id)).toEqual([own.endpoint.id]);
    expect(await codeOf(h.getEndpoint(bound, { id: unbound.endpoint.id }))).toBe('forbidden');
    expect(await codeOf(h.deleteEndpoint(bound, { id: unbound.endpoint.id }))).toBe('forbidden');
    expect((await h.listEndpoints(principal)).data).toHaveLength(2);
  });

  it("treats another customer's endpoint as absent everywhere", async () => {
    const h = createWebhookHarness();
    const owner = await h.tenantWithEndpoint();
    const { principal } = await h.newTenant();
    const id = owner.endpoint.id;
    expect(await codeOf(h.getEndpoint(principal, { id }))).toBe('not_found');
    expect(await codeOf(h.updateEndpoint(principal, { id, enabled: false }))).toBe('not_found');
    expect(await codeOf(h.deleteEndpoint(principal, { id }))).toBe('not_found');
    expect(await codeOf(h.sendTest(principal, { id }))).toBe('not_found');
    expect((await h.listEndpoints(principal)).data).toEqual([]);
    expect((await h.getEndpoint(owner.principal, { id })).enabled).toBe(true);
  });

  it('patches fields, re-validates the URL, and clears the disabled reason when re-enabled', async () => {
    const h = createWebhookHarness();
    const { principal, endpoint } = await h.tenantWithEndpoint();
    const id = endpoint.id;
    expect(await codeOf(h.updateEndpoint(principal, { id, url: `https://${UNSAFE_HOST}/` }))).toBe('unsafe_url');
    const patched = await h.updateEndpoint(principal, { id, url: 'https://other.example.com/x', events: ['message.sent'] });
    expect(patched).toMatchObject({ url: 'https://other.example.com/x', events: ['message.sent'], description: null });
    expect(await h.updateEndpoint(principal, { id, enabled: false })).toMatchObject({ enabled: false, disabledReason: 'manual' });
    expect(await h.updateEndpoint(principal, { id, enabled: true })).toMatchObject({ enabled: true, disabledReason: null });
    const actions = (await h.listAuditEvents(principal)).data.map((e) => e.action);
    expect(actions.filter((a) => a === 'webhook_endpoint.updated')).toHaveLength(3);
  });

  it('deletes an endpoint with its deliveries', async () => {
    const h = createWebhookHarness();
    const { principal, endpoint } = await h.tenantWithEndpoint();
    await h.recordEvent(principal, 'message.received');
    expect(await h.deleteEndpoint(principal, { id: endpoint.id })).toMatchObject({ id: endpoint.id });
    expect(await codeOf(h.getEndpoint(principal, { id: endpoint.id }))).toBe('not_found');
    expect((await h.listDeliveries(principal)).data).toEqual([]);
  });
});
