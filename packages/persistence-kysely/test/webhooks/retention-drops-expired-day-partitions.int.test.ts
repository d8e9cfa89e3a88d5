import { newId, type Repositories, type WebhookDelivery } from '@whatisup/core';
import { aWebhookDelivery } from '@whatisup/core/testing';
import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKyselyDatabase, createKyselyRepositories, createKyselyRetentionJob, type Database } from '../../src/index.js';
import { query } from '../query.js';
import { aCustomerWithEndpoint } from './customer-with-endpoint.js';
import { deliveryIdAt, partitionDay } from './delivery-id-at.js';

let database: TestDatabase;
let db: Kysely<Database>;
let repos: Repositories;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createKyselyDatabase(database.url, { max: 3 });
  repos = createKyselyRepositories(db);
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
const exists = async (table: string) =>
  (await query<{ t: string | null }>(database.url, 'SELECT to_regclass($1)::text AS t', [table]))[0]!.t !== null;

/** A finished delivery minted `mintedDaysAgo` (so in that day's partition) and last updated `updatedDaysAgo`. */
function finished(customerId: string, endpointId: string, status: 'success' | 'failed', mintedDaysAgo: number, updatedDaysAgo: number): WebhookDelivery {
  return aWebhookDelivery(customerId, endpointId, {
    id: deliveryIdAt(daysAgo(mintedDaysAgo)),
    status,
    nextAttemptAt: null,
    createdAt: daysAgo(mintedDaysAgo),
    updatedAt: daysAgo(updatedDaysAgo),
  });
}

describe('delivery retention on day partitions', () => {
  it('drops a day whose rows all expired, keeps a day holding a failure within its window, and creates days ahead', async () => {
    // Partitions of past days, as the job would have created them ahead back then.
    for (const n of [40, 35, 20]) {
      await query(database.url, 'SELECT webhook_delivery_partition_create($1::date)', [daysAgo(n).toISOString().slice(0, 10)]);
    }
    const { customerId, endpointId } = await aCustomerWithEndpoint(repos);
    const expiredSuccess = finished(customerId, endpointId, 'success', 40, 40);
    const expiredFailure = finished(customerId, endpointId, 'failed', 40, 39);
    // Minted 35 days ago but replayed, and failed again, 10 days ago: replayable for 20 more days.
    const replayedFailure = finished(customerId, endpointId, 'failed', 35, 10);
    const oldSuccessBeside = finished(customerId, endpointId, 'success', 35, 35);
    const recentFailure = finished(customerId, endpointId, 'failed', 20, 20);
    const successPastItsWeek = finished(customerId, endpointId, 'success', 20, 19);
    await repos.webhookDeliveries.createMany([expiredSuccess, expiredFailure, replayedFailure, oldSuccessBeside, recentFailure, successPastItsWeek]);
    await repos.webhookDeliveries.appendAttempt({
      id: newId('attempt'),
      deliveryId: expiredFailure.id,
      customerId,
      attemptNumber: 1,
      startedAt: daysAgo(39),
      durationMs: 5,
      responseStatus: 500,
      error: null,
      responseExcerpt: null,
    });
    const job = createKyselyRetentionJob(db, { clock: { now: () => new Date() }, partitionsAhead: 3 });

    const report = await job();

    const day40 = partitionDay(daysAgo(40));
    expect(report?.droppedPartitions).toEqual([`webhook_deliveries_p${day40}`]);
    expect(await exists(`webhook_deliveries_p${day40}`)).toBe(false);
    expect(await exists(`webhook_delivery_attempts_p${day40}`)).toBe(false);
    expect(await exists(`webhook_deliveries_p${partitionDay(daysAgo(35))}`)).toBe(true);
    // The dropped day's two rows, and the two successes past their 7 days deleted row by row.
    expect(report?.deliveries).toEqual({ success: 3, failed: 1 });
    const left = await query<{ id: string }>(database.url, 'SELECT id FROM webhook_deliveries ORDER BY id');
    expect(left.map((row) => row.id)).toEqual([replayedFailure.id, recentFailure.id].sort());
    expect(await repos.webhookDeliveries.replay(customerId, replayedFailure.id, new Date())).not.toBeNull();
    for (let i = 0; i <= 3; i++) {
      expect(await exists(`webhook_deliveries_p${partitionDay(new Date(Date.now() + i * DAY))}`)).toBe(true);
    }
  });

  it('finds a delivery by id in exactly one partition', async () => {
    const { customerId, endpointId } = await aCustomerWithEndpoint(repos);
    const delivery = aWebhookDelivery(customerId, endpointId);
    await repos.webhookDeliveries.createMany([delivery]);

    const plan = await query<{ 'QUERY PLAN': string }>(
      database.url,
      'EXPLAIN SELECT * FROM webhook_deliveries WHERE customer_id = $1 AND id = $2',
      [customerId, delivery.id],
    );

    const scanned = new Set(plan.flatMap((row) => [...row['QUERY PLAN'].matchAll(/ on (webhook_deliveries_\w+)/g)].map((m) => m[1])));
    expect([...scanned]).toEqual([`webhook_deliveries_p${partitionDay(new Date())}`]);
  });

  it('leaves a day whose rows sit in the default partition to the default', async () => {
    const { customerId, endpointId } = await aCustomerWithEndpoint(repos);
    const stray = finished(customerId, endpointId, 'failed', 50, 1);
    await repos.webhookDeliveries.createMany([stray]);
    const day = daysAgo(50).toISOString().slice(0, 10);

    const made = await query<{ made: boolean }>(database.url, 'SELECT webhook_delivery_partition_create($1::date) AS made', [day]);

    expect(made[0]!.made).toBe(false);
    const where = await query<{ t: string }>(database.url, 'SELECT tableoid::regclass::text AS t FROM webhook_deliveries WHERE id = $1', [stray.id]);
    expect(where[0]!.t).toBe('webhook_deliveries_default');
    expect(await repos.webhookDeliveries.findById(customerId, stray.id)).not.toBeNull();
  });
});
