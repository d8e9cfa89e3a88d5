/*
 * The data-volume scenario (`pnpm bench -- --scenario data-10m --rows N`): with N delivery rows in the
 * database (seed-deliveries.ts), how fast are the delivery list and filter routes, what do the sweeper's
 * due query and retention cost (with their plans), and how big are the tables and indexes. The server
 * under test runs with retention windows of 10 years so that its own hourly retention leaves the data
 * alone; the scenario runs the retention job itself, with the default 7/30 days, and times it.
 */
import { createKyselyDatabase, createKyselyRetentionJob, createKyselyWebhookDeliveryRepository } from '@whatisup/persistence-kysely';
import { performance } from 'node:perf_hooks';
import type { BenchClient } from '../bench-client.js';
import { explain, explainFirstStatement, type ExplainedStatement } from './explain-repository-queries.js';
import { measureListRoutes, type RouteLatency } from './measure-list-routes.js';
import { measureTableSizes, type TableSize } from './measure-table-sizes.js';
import type { SeededData } from './seed-deliveries.js';

/** Server settings of this scenario: its own retention must not touch the seeded rows. */
export const DATA_SCENARIO_SETTINGS: Record<string, string> = {
  WEBHOOK_SUCCESS_RETENTION_DAYS: '3650',
  WEBHOOK_FAILED_RETENTION_DAYS: '3650',
  MESSAGE_RETENTION_DAYS: '3650',
};

const DAY_MS = 86_400_000;

export interface DataScenarioResult {
  readonly rows: number;
  readonly seedMs: number;
  readonly routes: RouteLatency[];
  readonly plans: ExplainedStatement[];
  readonly retention: { readonly ms: number; readonly report: unknown };
  readonly sizesBefore: TableSize[];
  readonly sizesAfter: TableSize[];
}

export async function runDataScenario(
  client: BenchClient,
  databaseUrl: string,
  seeded: SeededData,
  options: { quick: boolean },
): Promise<DataScenarioResult> {
  const deepCursor = await cursorDaysBack(databaseUrl, seeded.customerId, 20);
  const routes = await measureListRoutes(
    client,
    [
      '/v1/webhook-deliveries?limit=50',
      `/v1/webhook-deliveries?limit=50&cursor=${deepCursor}`,
      `/v1/webhook-deliveries?limit=50&endpoint_id=${seeded.endpointIds[0]}`,
      '/v1/webhook-deliveries?limit=50&event=message.read',
      `/v1/webhook-deliveries?limit=50&instance_id=${seeded.instanceIds[0]}`,
      '/v1/webhook-deliveries?limit=50&status=failed',
      '/v1/webhook-deliveries?limit=50&status=pending',
    ],
    { concurrency: 4, durationMs: options.quick ? 1_000 : 4_000 },
  );

  const now = new Date();
  const plans: ExplainedStatement[] = [];
  plans.push(
    await explainFirstStatement(databaseUrl, 'list, first page', (db) =>
      createKyselyWebhookDeliveryRepository(db).list(seeded.customerId, { limit: 50 }),
    ),
    await explainFirstStatement(databaseUrl, 'list, status=failed', (db) =>
      createKyselyWebhookDeliveryRepository(db).list(seeded.customerId, { limit: 50 }, { status: 'failed' }),
    ),
    // The sweeper's page: a day ahead, so every seeded pending delivery is due.
    await explainFirstStatement(databaseUrl, "sweeper's due query (1,000 due)", (db) =>
      createKyselyWebhookDeliveryRepository(db).listDue(new Date(now.getTime() + 2 * DAY_MS), 1_000),
    ),
  );
  const weekOld = partitionOf(new Date(now.getTime() - 7 * DAY_MS));
  plans.push(
    await explain(
      databaseUrl,
      `retention: expired successes of ${weekOld} (rolled back)`,
      `DELETE FROM ${weekOld} WHERE status IN ('success', 'failed') AND status = 'success' AND updated_at < $1`,
      [new Date(now.getTime() - 7 * DAY_MS)],
    ),
    await explain(
      databaseUrl,
      `retention: does ${partitionOf(new Date(now.getTime() - 31 * DAY_MS))} hold anything kept?`,
      `SELECT EXISTS (SELECT 1 FROM ${partitionOf(new Date(now.getTime() - 31 * DAY_MS))} WHERE status IN ('pending', 'retrying'))
         OR EXISTS (SELECT 1 FROM ${partitionOf(new Date(now.getTime() - 31 * DAY_MS))}
                    WHERE status IN ('success', 'failed') AND status = 'failed' AND updated_at >= $1)`,
      [new Date(now.getTime() - 30 * DAY_MS)],
    ),
  );

  const sizesBefore = await measureTableSizes(databaseUrl);
  const retention = await timeRetention(databaseUrl);
  const sizesAfter = await measureTableSizes(databaseUrl);
  return { rows: seeded.rows, seedMs: seeded.seedMs, routes, plans, retention, sizesBefore, sizesAfter };
}

const partitionOf = (at: Date) => `webhook_deliveries_p${at.toISOString().slice(0, 10).replaceAll('-', '')}`;

/** One run of the retention job (7/30 days), retried while the server's own run holds the lock. */
async function timeRetention(databaseUrl: string): Promise<{ ms: number; report: unknown }> {
  const db = createKyselyDatabase(databaseUrl, { max: 2 });
  try {
    const job = createKyselyRetentionJob(db, { clock: { now: () => new Date() } });
    for (let attempt = 0; attempt < 50; attempt++) {
      const started = performance.now();
      const report = await job();
      if (report !== null) return { ms: performance.now() - started, report };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the retention lock stayed taken');
  } finally {
    await db.destroy();
  }
}

/** The id of the bench customer's delivery closest to `days` ago, as a list cursor. */
async function cursorDaysBack(databaseUrl: string, customerId: string, days: number): Promise<string> {
  const db = createKyselyDatabase(databaseUrl, { max: 1 });
  try {
    const row = await db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('customer_id', '=', customerId)
      .where('created_at', '<=', new Date(Date.now() - days * DAY_MS))
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) throw new Error(`no delivery ${days} days back`);
    return row.id;
  } finally {
    await db.destroy();
  }
}
