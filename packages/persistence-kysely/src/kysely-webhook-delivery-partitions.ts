/*
 * The daily partitions of webhook_deliveries and webhook_delivery_attempts (see
 * docs/decisions/0016-partitioned-deliveries.md): creating them ahead, and dropping a day whose every row
 * is past its retention.
 *
 * A partition is named after its UTC day (`webhook_deliveries_p20261201`, with its attempts in
 * `webhook_delivery_attempts_p20261201`) and holds the deliveries whose id was minted that day. Rows can
 * outlive their day (a retry schedule, a replay), so a day is dropped only when it holds no active
 * delivery, no success newer than the success cutoff and no failure newer than the failed cutoff; a day
 * that still holds one is left to the row-level pass and dropped on a later run.
 *
 * The server's role owns none of these tables: creating and dropping go through the migration's
 * SECURITY DEFINER functions (webhook_delivery_partition_create / _drop), which do exactly that and
 * nothing else, and give each new partition the app role's grants.
 *
 * DDL on a partitioned table takes an ACCESS EXCLUSIVE lock on the parent for a moment. Each change runs
 * in its own short transaction with a lock timeout, so a long-running query on the table makes the
 * change give up (it is retried on the next run: partitions are made days ahead) rather than queue every
 * other query behind it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.js';

const DAY_MS = 86_400_000;
const LOCK_TIMEOUT = '2s';
const PARTITION_NAME = /^webhook_deliveries_p(\d{4})(\d{2})(\d{2})$/;

export interface DeliveryPartition {
  /** The deliveries partition, e.g. `webhook_deliveries_p20261201`. */
  readonly name: string;
  /** Its attempts partition. */
  readonly attemptsName: string;
  /** The UTC midnight its day starts at. */
  readonly day: Date;
}

export interface RetentionCutoffs {
  readonly successBefore: Date;
  readonly failedBefore: Date;
}

/** The day partitions, oldest first (the default partition is not one of them). */
export async function listDeliveryPartitions(db: Kysely<Database>): Promise<DeliveryPartition[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'webhook_deliveries'::regclass ORDER BY c.relname`.execute(db);
  return rows.flatMap(({ name }) => {
    const match = PARTITION_NAME.exec(name);
    if (!match) return [];
    const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    return [{ name, attemptsName: name.replace('webhook_deliveries_', 'webhook_delivery_attempts_'), day }];
  });
}

/**
 * Makes sure the partitions of `now`'s UTC day and the `daysAhead` days after it exist. Returns the names
 * it created. A day whose rows already sit in the default partition is skipped (see the migration's
 * webhook_delivery_partition_create); a day whose DDL could not get its lock in time is left for the next run.
 */
export async function createDeliveryPartitionsAhead(db: Kysely<Database>, now: Date, daysAhead: number): Promise<string[]> {
  const created: string[] = [];
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  for (let i = 0; i <= daysAhead; i++) {
    const day = new Date(today + i * DAY_MS).toISOString().slice(0, 10);
    const made = await withLockTimeout(db, async (trx) => {
      const { rows } = await sql<{ made: boolean }>`SELECT webhook_delivery_partition_create(${day}::date) AS made`.execute(trx);
      return rows[0]?.made === true;
    });
    if (made) created.push(`webhook_deliveries_p${day.replaceAll('-', '')}`);
  }
  return created;
}

/**
 * Drops every day partition (deliveries and attempts) whose day ended before both cutoffs and which holds
 * nothing retention keeps. Returns what the dropped partitions held and their names.
 */
export async function dropExpiredDeliveryPartitions(
  db: Kysely<Database>,
  cutoffs: RetentionCutoffs,
): Promise<{ success: number; failed: number; dropped: string[] }> {
  const oldest = Math.min(cutoffs.successBefore.getTime(), cutoffs.failedBefore.getTime());
  const result = { success: 0, failed: 0, dropped: [] as string[] };
  for (const partition of await listDeliveryPartitions(db)) {
    if (partition.day.getTime() + DAY_MS > oldest) break;
    // Checked and counted before the lock is taken (a scan of what is dropped must not stall the table);
    // the check that decides is repeated under the lock.
    if (await holdsKeptRows(db, partition.name, cutoffs)) continue;
    const counts = await countFinished(db, partition.name);
    // Locks both parents, repeats the check under the lock, detaches and drops (the migration's
    // webhook_delivery_partition_drop, which runs as the tables' owner).
    const day = partition.day.toISOString().slice(0, 10);
    const dropped = await withLockTimeout(db, async (trx) => {
      const { rows } = await sql<{ dropped: boolean }>`SELECT webhook_delivery_partition_drop(
          ${day}::date, ${cutoffs.successBefore}, ${cutoffs.failedBefore}) AS dropped`.execute(trx);
      return rows[0]?.dropped === true;
    });
    if (!dropped) continue;
    result.success += counts.success;
    result.failed += counts.failed;
    result.dropped.push(partition.name);
  }
  return result;
}

/** Whether the partition holds an active delivery or a finished one still within its retention. */
async function holdsKeptRows(db: Kysely<Database>, name: string, cutoffs: RetentionCutoffs): Promise<boolean> {
  // Three probes, each answered by one partial index of the partition (due, retention, retention).
  const { rows } = await sql<{ kept: boolean }>`SELECT
      EXISTS (SELECT 1 FROM ${sql.table(name)} WHERE status IN ('pending', 'retrying'))
      OR EXISTS (SELECT 1 FROM ${sql.table(name)} WHERE status IN ('success', 'failed') AND status = 'success'
                 AND updated_at >= ${cutoffs.successBefore})
      OR EXISTS (SELECT 1 FROM ${sql.table(name)} WHERE status IN ('success', 'failed') AND status = 'failed'
                 AND updated_at >= ${cutoffs.failedBefore}) AS kept`.execute(db);
  return rows[0]?.kept === true;
}

async function countFinished(db: Kysely<Database>, name: string): Promise<{ success: number; failed: number }> {
  const { rows } = await sql<{ success: string; failed: string }>`SELECT
      count(*) FILTER (WHERE status = 'success') AS success,
      count(*) FILTER (WHERE status = 'failed') AS failed
    FROM ${sql.table(name)}`.execute(db);
  return { success: Number(rows[0]?.success ?? 0), failed: Number(rows[0]?.failed ?? 0) };
}

/** Runs `work` in a transaction whose lock waits give up after LOCK_TIMEOUT; false when one did. */
async function withLockTimeout(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<boolean>): Promise<boolean> {
  const run = async (trx: Transaction<Database>) => {
    await sql`SET LOCAL lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx);
    return work(trx);
  };
  try {
    return db.isTransaction ? await run(db as Transaction<Database>) : await db.transaction().execute(run);
  } catch (error) {
    if ((error as { code?: unknown }).code === '55P03') return false;
    throw error;
  }
}
