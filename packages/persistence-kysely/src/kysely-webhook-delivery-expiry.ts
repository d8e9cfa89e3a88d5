/*
 * The row-level half of delivery retention: finished deliveries past their cutoff in partitions that are
 * not dropped whole (successes are kept 7 days by default but share their day with failures kept 30; rows
 * of the default partition; a day kept alive by a replayed delivery). One DELETE per partition, found
 * through that partition's `retention` index, so each statement is bounded by a day's rows and a run costs
 * what it deletes plus one index probe per partition. Attempts go with their delivery (ON DELETE CASCADE).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { listDeliveryPartitions, type RetentionCutoffs } from './kysely-webhook-delivery-partitions.js';

export async function deleteExpiredRows(
  db: Kysely<Database>,
  { successBefore, failedBefore }: RetentionCutoffs,
): Promise<{ success: number; failed: number }> {
  const partitions = [...(await listDeliveryPartitions(db)).map((p) => p.name), 'webhook_deliveries_default'];
  const total = { success: 0, failed: 0 };
  for (const name of partitions) {
    total.success += await deleteFinished(db, name, 'success', successBefore);
    total.failed += await deleteFinished(db, name, 'failed', failedBefore);
  }
  return total;
}

async function deleteFinished(db: Kysely<Database>, partition: string, status: 'success' | 'failed', before: Date) {
  const result = await sql`DELETE FROM ${sql.table(partition)}
    WHERE status IN ('success', 'failed') AND status = ${sql.lit(status)} AND updated_at < ${before}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
