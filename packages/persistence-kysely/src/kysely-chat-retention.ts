/*
 * Chat retention: the chats of deleted instances (soft-deleted rows keep their id, so their chats would
 * otherwise outlive them), and chats without activity since the cutoff. Batched like message retention so a
 * run's row locks and WAL stay bounded; a chat that is active again is simply opened anew.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

export async function deleteExpiredChats(db: Kysely<Database>, idleBefore: Date, batchSize = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await sql`DELETE FROM chats WHERE (customer_id, instance_id, chat_id) IN (
        SELECT c.customer_id, c.instance_id, c.chat_id FROM chats c
        WHERE c.last_activity_at < ${idleBefore}
           OR EXISTS (SELECT 1 FROM instances i WHERE i.id = c.instance_id AND i.deleted_at IS NOT NULL)
        LIMIT ${batchSize}
      )`.execute(db);
    const deleted = Number(result.numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
