import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../shared/index.js';
import { codeOf } from '../../testing/use-case-harness.js';
import { createCreateWebhookEndpoint } from './create-webhook-endpoint.js';
import { createGetWebhookEndpointLimits } from './get-webhook-endpoint-limits.js';
import { createWebhookHarness } from '../../testing/webhook-harness.js';

const limits = { perCustomer: 5, perInstance: 3 };

function harness() {
  const h = createWebhookHarness();
  const create = createCreateWebhookEndpoint({ uow: h.uow, clock: h.clock, outbound: h.receiver, secretBox: h.secretBox, limits });
  const usage = createGetWebhookEndpointLimits({ uow: h.uow, limits });
  const endpoint = (instanceId: string | null = null) => ({ url: 'https://hooks.example.com/in', events: ['*'], instanceId });
  return { h, create, usage, endpoint };
}

describe('webhook endpoint fan-out limits', () => {
  it('caps the endpoints of one customer (limit_exceeded, naming the limit)', async () => {
    const { h, create, endpoint } = harness();
    const { principal } = await h.newTenant();
    const [a, b] = [await h.createInstance(principal, { name: 'a' }), await h.createInstance(principal, { name: 'b' })];
    for (const instanceId of [a.id, a.id, b.id, b.id, null]) await create(principal, endpoint(instanceId));
    const error = await create(principal, endpoint(b.id)).catch((e: unknown) => e);
    expect(isDomainError(error, 'limit_exceeded') && error.details).toEqual({ limit: 'webhook_endpoints_per_customer', max: 5, current: 5 });
    const other = await h.newTenant();
    expect(await codeOf(create(other.principal, endpoint()))).toBe('resolved');
  });

  it('caps the endpoints one instance’s events reach, counting the customer-wide ones', async () => {
    const { h, create, usage, endpoint } = harness();
    const { principal } = await h.newTenant();
    const [a, b] = [await h.createInstance(principal, { name: 'a' }), await h.createInstance(principal, { name: 'b' })];
    await create(principal, endpoint(null));
    await create(principal, endpoint(a.id));
    await create(principal, endpoint(a.id));
    const error = await create(principal, endpoint(a.id)).catch((e: unknown) => e);
    expect(isDomainError(error, 'limit_exceeded') && error.details).toMatchObject({ limit: 'webhook_endpoints_per_instance', max: 3 });
    // A customer-wide one would reach a's events too.
    expect(await codeOf(create(principal, endpoint(null)))).toBe('limit_exceeded');
    expect(await codeOf(create(principal, endpoint(b.id)))).toBe('resolved');
    expect(await usage(principal)).toEqual({ perCustomer: { limit: 5, used: 4 }, perInstance: { limit: 3, used: 3 } });
    const boundToB = await h.boundPrincipal(principal, b.id);
    expect((await usage(boundToB)).perInstance).toEqual({ limit: 3, used: 2 });
  });

  it('defaults to 20 per customer and 10 per instance', async () => {
    const h = createWebhookHarness();
    const { principal } = await h.newTenant();
    const instance = await h.createInstance(principal, { name: 'a' });
    for (let i = 0; i < 10; i += 1) await h.createEndpoint(principal, { url: 'https://hooks.example.com/in', events: ['*'], instanceId: instance.id });
    expect(await codeOf(h.createEndpoint(principal, { url: 'https://hooks.example.com/in', events: ['*'], instanceId: instance.id }))).toBe(
      'limit_exceeded',
    );
  });
});
