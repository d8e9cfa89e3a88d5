import type { Repositories } from '@whatisup/core';
import { aWebhookDelivery } from '@whatisup/core/testing';
import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKyselyDatabase, createKyselyRepositories, type Database } from '../../src/index.js';
import { query } from '../query.js';
import { aCustomerWithEndpoint } from './customer-with-endpoint.js';

let database: TestDatabase;
let db: Kysely<Database>;
let repos: Repositories;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createKyselyDatabase(database.url, { max: 10 });
  repos = createKyselyRepositories(db);
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const seconds = (n: number) => new Date(Date.now() + n * 1000);

async function aDueDelivery(): Promise<string> {
  const { customerId, endpointId } = await aCustomerWithEndpoint(repos);
  const delivery = aWebhookDelivery(customerId, endpointId, { nextAttemptAt: seconds(-1) });
  await repos.webhookDeliveries.createMany([delivery]);
  return delivery.id;
}

describe('claiming a webhook delivery on Postgres', () => {
  it('lets exactly one of 20 concurrent claims win, and stores the winner\'s token', async () => {
    const id = await aDueDelivery();
    const now = new Date();

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repos.webhookDeliveries.claim(id, { now, until: seconds(60), token: `worker-${i}` }).then((r) => ({ i, r })),
      ),
    );

    const winners = results.filter(({ r }) => r.claimed);
    expect(winners).toHaveLength(1);
    const [row] = await query<{ claim_token: string }>(database.url, 'SELECT claim_token FROM webhook_deliveries WHERE id = $1', [id]);
    expect(row?.claim_token).toBe(`worker-${winners[0]!.i}`);
    for (const { r } of results.filter(({ r }) => !r.claimed)) {
      expect(r).toEqual({ claimed: false, retryAt: expect.any(Date) });
    }
  });

  it('lets one of 20 concurrent claims win again after the first claim expired', async () => {
    const id = await aDueDelivery();
    const first = await repos.webhookDeliveries.claim(id, { now: new Date(), until: seconds(1), token: 'dead-worker' });
    expect(first.claimed).toBe(true);

    const later = seconds(2);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repos.webhookDeliveries.claim(id, { now: later, until: seconds(60), token: `worker-${i}` }),
      ),
    );

    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    const late = await repos.webhookDeliveries.complete(id, 'dead-worker', {
      status: 'success',
      attemptCount: 1,
      nextAttemptAt: null,
      lastResponseStatus: 200,
      lastError: null,
      deliveredAt: later,
      at: later,
    });
    expect(late).toBeNull();
  });

  it('never hands a completed delivery to a claim racing the completion', async () => {
    const id = await aDueDelivery();
    const now = new Date();
    await repos.webhookDeliveries.claim(id, { now, until: seconds(1), token: 'first' });
    const afterExpiry = seconds(2);

    const [completed, ...claims] = await Promise.all([
      repos.webhookDeliveries.complete(id, 'first', {
        status: 'success',
        attemptCount: 1,
        nextAttemptAt: null,
        lastResponseStatus: 200,
        lastError: null,
        deliveredAt: now,
        at: now,
      }),
      ...Array.from({ length: 10 }, (_, i) =>
        repos.webhookDeliveries.claim(id, { now: afterExpiry, until: seconds(60), token: `late-${i}` }),
      ),
    ]);

    // Either the completion landed first (no claim wins) or one late claim took the expired claim first
    // (and the completion, presenting a stale token, changed nothing). Never both.
    const won = claims.filter((c) => c.claimed).length;
    expect(won + (completed === null ? 0 : 1)).toBe(1);
  });
});
