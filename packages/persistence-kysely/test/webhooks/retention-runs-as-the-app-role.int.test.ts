/*
 * The server's pool takes whatisup_app, which owns no table. Retention still creates and drops day
 * partitions, through the migration-owned SECURITY DEFINER functions; the app role cannot do either
 * directly, and cannot use the drop function to remove a day that still holds kept rows.
 */
import type { Repositories, WebhookDelivery } from '@whatisup/core';
import { aWebhookDelivery } from '@whatisup/core/testing';
import { createTestDatabase, infra, type TestDatabase } from '@whatisup/test-infra';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKyselyDatabase, createKyselyRepositories, createKyselyRetentionJob, type Database } from '../../src/index.js';
import { query } from '../query.js';
import { aCustomerWithEndpoint } from './customer-with-endpoint.js';
import { deliveryIdAt, partitionDay } from './delivery-id-at.js';

let database: TestDatabase;
let owner: Kysely<Database>;
let app: Kysely<Database>;
let ownerRepos: Repositories;
const login = `wiu_ret_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = createKyselyDatabase(database.url, { max: 2 });
  ownerRepos = createKyselyRepositories(owner);
  await query(database.url, `CREATE ROLE ${login} LOGIN IN ROLE whatisup_app`);
  const url = new URL(database.url);
  url.username = login;
  app = createKyselyDatabase(url.toString(), { role: 'whatisup_app', max: 2 });
});
afterAll(async () => {
  await app.destroy();
  await owner.destroy();
  await database.drop();
  // Roles outlive databases: drop the login from the cluster's admin database.
  const admin = new pg.Client({ connectionString: infra().postgresUrl ?? '' });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${login}`).finally(() => admin.end());
});

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
const isoDay = (at: Date) => at.toISOString().slice(0, 10);
const exists = async (table: string) =>
  (await query<{ t: string | null }>(database.url, 'SELECT to_regclass($1)::text AS t', [table]))[0]!.t !== null;

function finished(customerId: string, endpointId: string, status: 'success' | 'failed', mintedDaysAgo: number, updatedDaysAgo: number): WebhookDelivery {
  return aWebhookDelivery(customerId, endpointId, {
    id: deliveryIdAt(daysAgo(mintedDaysAgo)),
    status,
    nextAttemptAt: null,
    createdAt: daysAgo(mintedDaysAgo),
    updatedAt: daysAgo(updatedDaysAgo),
  });
}

describe('retention on the app role', () => {
  it('creates days ahead, drops an expired day and deletes expired rows', async () => {
    for (const n of [45, 12]) await query(database.url, 'SELECT webhook_delivery_partition_create($1::date)', [isoDay(daysAgo(n))]);
    const { customerId, endpointId } = await aCustomerWithEndpoint(ownerRepos);
    const expired = finished(customerId, endpointId, 'failed', 45, 45);
    const successPastItsWeek = finished(customerId, endpointId, 'success', 12, 12);
    const recentFailure = finished(customerId, endpointId, 'failed', 12, 12);
    await ownerRepos.webhookDeliveries.createMany([expired, successPastItsWeek, recentFailure]);
    // The migration made the next 7 days' partitions; the 10th day ahead is the job's to make.
    const ahead = new Date(Date.now() + 10 * DAY);

    const report = await createKyselyRetentionJob(app, { clock: { now: () => new Date() }, partitionsAhead: 10 })();

    expect(report?.droppedPartitions).toEqual([`webhook_deliveries_p${partitionDay(daysAgo(45))}`]);
    expect(report?.createdPartitions).toContain(`webhook_deliveries_p${partitionDay(ahead)}`);
    expect(report?.deliveries).toEqual({ success: 1, failed: 1 });
    const left = await query<{ id: string }>(database.url, 'SELECT id FROM webhook_deliveries');
    expect(left.map((row) => row.id)).toEqual([recentFailure.id]);
  });

  it('gives a partition it creates the grants of its parent, owned by the tables\' owner', async () => {
    const day = `webhook_deliveries_p${partitionDay(new Date(Date.now() + 10 * DAY))}`;
    const rows = await query<{ owner: string; app: boolean; attempts: boolean }>(
      database.url,
      `SELECT pg_get_userbyid(c.relowner) AS owner,
              has_table_privilege('whatisup_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE') AS app,
              has_table_privilege('whatisup_app', replace($1, 'webhook_deliveries_', 'webhook_delivery_attempts_'),
                'SELECT, INSERT, UPDATE, DELETE') AS attempts
       FROM pg_class c WHERE c.oid = $1::regclass`,
      [day],
    );
    expect(rows[0]).toMatchObject({ app: true, attempts: true });
    expect(rows[0]!.owner).not.toBe('whatisup_app');
    const { rows: deleted } = await sql`DELETE FROM ${sql.table(day)}`.execute(app);
    expect(deleted).toEqual([]);
  });

  it('may not create or drop a partition itself', async () => {
    const day = `webhook_deliveries_p${partitionDay(new Date())}`;
    await expect(sql`DROP TABLE ${sql.table(day)}`.execute(app)).rejects.toThrow(/must be owner/);
    await expect(sql`ALTER TABLE webhook_deliveries DETACH PARTITION ${sql.table(day)}`.execute(app)).rejects.toThrow(/must be owner/);
    await expect(
      sql`CREATE TABLE webhook_deliveries_p20990101 PARTITION OF webhook_deliveries FOR VALUES FROM ('dlv_x') TO ('dlv_y')`.execute(app),
    ).rejects.toThrow(/must be owner|permission denied/);
    expect(await exists(day)).toBe(true);
  });

  it('may drop, through the function, a day only when it holds no kept row', async () => {
    const day = isoDay(daysAgo(13));
    await query(database.url, 'SELECT webhook_delivery_partition_create($1::date)', [day]);
    const { customerId, endpointId } = await aCustomerWithEndpoint(ownerRepos);
    // Minted 13 days ago, failed again a day ago: replayable for weeks yet.
    await ownerRepos.webhookDeliveries.createMany([finished(customerId, endpointId, 'failed', 13, 1)]);
    const drop = async (before: Date) =>
      (await sql<{ dropped: boolean }>`SELECT webhook_delivery_partition_drop(${day}::date, ${before}, ${before}) AS dropped`.execute(app))
        .rows[0]?.dropped;

    expect(await drop(daysAgo(30))).toBe(false);
    expect(await exists(`webhook_deliveries_p${partitionDay(daysAgo(13))}`)).toBe(true);
    expect(await drop(new Date(Date.now() + DAY))).toBe(true);
    expect(await exists(`webhook_deliveries_p${partitionDay(daysAgo(13))}`)).toBe(false);
    expect(await exists(`webhook_delivery_attempts_p${partitionDay(daysAgo(13))}`)).toBe(false);
  });
});
