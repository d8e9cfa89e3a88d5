import { newId, type Repositories } from '@whatisup/core';
import { aWebhookDelivery } from '@whatisup/core/testing';
import type { TestDatabase } from '@whatisup/test-infra';
import type { CompiledQuery } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { createKyselyRepositories } from '../../src/index.js';
import { useTestKysely } from '../use-test-kysely.js';
import { explainWithoutSeqScan } from '../explain.js';
import { query } from '../query.js';
import { aCustomerWithEndpoint } from './customer-with-endpoint.js';

let database: TestDatabase;
let repos: Repositories;
let statements: CompiledQuery[] = [];

useTestKysely({ max: 2, onStatement: (statement) => void statements.push(statement) }, (opened) => {
  database = opened.database;
  repos = createKyselyRepositories(opened.db);
});
beforeEach(async () => {
  await query(database.url, 'DELETE FROM webhook_deliveries');
  statements = [];
});

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);


describe('the sweeper\'s due listing on Postgres', () => {
  it('lists only claimable deliveries, most overdue first, through the partial due index', async () => {
    const { customerId, endpointId } = await aCustomerWithEndpoint(repos);
    const overdue = aWebhookDelivery(customerId, endpointId, { status: 'retrying', nextAttemptAt: daysAgo(2) });
    const due = aWebhookDelivery(customerId, endpointId, { nextAttemptAt: daysAgo(1) });
    const claimed = aWebhookDelivery(customerId, endpointId, { nextAttemptAt: daysAgo(3) });
    const notYet = aWebhookDelivery(customerId, endpointId, { nextAttemptAt: new Date(Date.now() + DAY) });
    const done = aWebhookDelivery(customerId, endpointId, { status: 'success', nextAttemptAt: null });
    await repos.webhookDeliveries.createMany([overdue, due, claimed, notYet, done]);
    await repos.webhookDeliveries.claim(claimed.id, { now: new Date(), until: new Date(Date.now() + 60_000), token: 't' });
    statements = [];

    expect((await repos.webhookDeliveries.listDue(new Date(), 10)).map((d) => d.id)).toEqual([overdue.id, due.id]);

    // Each day partition's copy of the partial `webhook_deliveries_due` index, merged in order: no sort.
    const plan = await explainWithoutSeqScan(database.url, statements[0]!);
    expect(plan).toMatch(/Index Scan using webhook_deliveries_p\d{8}_next_attempt_at_id_idx/);
    expect(plan).not.toMatch(/Seq Scan|(^|->\s+)Sort\s/m);
  });
});

describe('retention pruning on Postgres', () => {
  it('deletes old finished deliveries with their attempts one partition at a time, keeping the rest', async () => {
    const { customerId, endpointId } = await aCustomerWithEndpoint(repos);
    const oldSuccess = Array.from({ length: 7 }, () =>
      aWebhookDelivery(customerId, endpointId, { status: 'success', nextAttemptAt: null, updatedAt: daysAgo(8) }),
    );
    const oldFailed = aWebhookDelivery(customerId, endpointId, { status: 'failed', nextAttemptAt: null, updatedAt: daysAgo(31) });
    const keptFailed = aWebhookDelivery(customerId, endpointId, { status: 'failed', nextAttemptAt: null, updatedAt: daysAgo(8) });
    const keptSuccess = aWebhookDelivery(customerId, endpointId, { status: 'success', nextAttemptAt: null, updatedAt: daysAgo(1) });
    const oldPending = aWebhookDelivery(customerId, endpointId, { status: 'retrying', updatedAt: daysAgo(60) });
    await repos.webhookDeliveries.createMany([...oldSuccess, oldFailed, keptFailed, keptSuccess, oldPending]);
    for (const d of [oldSuccess[0]!, oldFailed]) {
      await repos.webhookDeliveries.appendAttempt({
        id: newId('attempt'),
        deliveryId: d.id,
        customerId,
        attemptNumber: 1,
        startedAt: daysAgo(40),
        durationMs: 12,
        responseStatus: 500,
        error: null,
        responseExcerpt: 'oops',
      });
    }
    statements = [];

    const pruned = await repos.webhookDeliveries.prune({ successBefore: daysAgo(7), failedBefore: daysAgo(30) });

    expect(pruned).toEqual({ success: 7, failed: 1 });
    const left = await query<{ id: string }>(database.url, 'SELECT id FROM webhook_deliveries ORDER BY id');
    expect(left.map((row) => row.id)).toEqual([keptFailed.id, keptSuccess.id, oldPending.id].sort());
    expect(await query(database.url, 'SELECT id FROM webhook_delivery_attempts')).toEqual([]);
    // Two statements (success, failed) per partition, each through that partition's retention index.
    const deletes = statements.filter((s) => s.sql.trimStart().startsWith('DELETE'));
    const partitions = await query(database.url, "SELECT 1 FROM pg_inherits WHERE inhparent = 'webhook_deliveries'::regclass");
    expect(deletes).toHaveLength(2 * partitions.length);
    const plan = await explainWithoutSeqScan(database.url, deletes[0]!);
    expect(plan).not.toContain('Seq Scan');
    // PostgreSQL 15 prints `Index Cond: (status = 'success'::text)`; 18 puts the index predicate before it.
    expect(plan).toMatch(/Index Cond: .*\(status = 'success'::text\)/);
  });
});
