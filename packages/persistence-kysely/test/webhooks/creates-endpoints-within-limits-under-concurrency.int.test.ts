import {
  createCreateWebhookEndpoint,
  createSecretBox,
  generateSecretsKey,
  isDomainError,
  parseSecretsKey,
  systemClock,
  type Principal,
} from '@whatisup/core';
import { aCustomer, anInstance, aStoredApiKey, aWebhookEndpoint } from '@whatisup/core/testing';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyUnitOfWork, type Database } from '../../src/index.js';
import { useTestKysely } from '../use-test-kysely.js';

let db: Kysely<Database>;
useTestKysely({ max: 12 }, (opened) => ({ db } = opened));

describe('creating webhook endpoints on Postgres', () => {
  it('lets no more than the limit through when 12 creations race', async () => {
    const uow = createKyselyUnitOfWork(db);
    const customer = await uow.repos.customers.create(aCustomer());
    const key = await uow.repos.apiKeys.create(aStoredApiKey(customer.id));
    const principal: Principal = { customerId: customer.id, keyId: key.id, instanceId: null };
    const create = createCreateWebhookEndpoint({
      uow,
      clock: systemClock,
      outbound: { checkUrl: async (url) => ({ url, hostname: 'hooks.example.com', addresses: ['93.184.216.34'] }) },
      secretBox: createSecretBox({ current: parseSecretsKey(generateSecretsKey()) }),
      limits: { perCustomer: 4, perInstance: 100 },
    });

    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => create(principal, { url: 'https://hooks.example.com/in', events: ['*'] })),
    );

    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(refused.every((error) => isDomainError(error, 'limit_exceeded'))).toBe(true);
    expect((await uow.repos.webhookEndpoints.countEndpoints(customer.id, null)).total).toBe(4);
  });

  it('counts bound, customer-wide and the busiest instance’s endpoints', async () => {
    const uow = createKyselyUnitOfWork(db);
    const { repos } = uow;
    const customer = await repos.customers.create(aCustomer());
    const [a, b] = [await repos.instances.create(anInstance(customer.id)), await repos.instances.create(anInstance(customer.id))];
    for (const instanceId of [null, a.id, a.id, a.id, b.id]) await repos.webhookEndpoints.create(aWebhookEndpoint(customer.id, { instanceId }));
    expect(await repos.webhookEndpoints.countEndpoints(customer.id, b.id)).toEqual({
      total: 5,
      customerWide: 1,
      boundToInstance: 1,
      mostBoundToOneInstance: 3,
    });
    expect((await repos.webhookEndpoints.countEndpoints(customer.id, null)).boundToInstance).toBe(0);
  });
});
