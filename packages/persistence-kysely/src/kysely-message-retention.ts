/*
 * Message retention: finished messages (any status but queued) whose last status change is older than the
 * cutoff are deleted with their status trail (ON DELETE CASCADE), through the partial
 * `messages_retention` index. Batches keep each statement's row locks and WAL bounded; a run costs what it
 * deletes. A deleted message frees its idempotency key and client_ref.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

export async function deleteExpiredMessages(db: Kysely<Database>, before: Date, batchSize = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await sql`DELETE FROM messages WHERE id IN (
        SELECT id FROM messages WHERE status <> 'queued' AND updated_at < ${before} LIMIT ${batchSize}
      )`.execute(db);
    const deleted = Number(result.numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
