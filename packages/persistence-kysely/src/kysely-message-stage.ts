/*
 * Staging a message: its place in the instance's order and its idempotency.
 *
 * Order: `seq` comes from an identity column, assigned at INSERT, but a transaction that drew seq 5 may
 * commit after the one that drew seq 6; a worker claiming the head in between would see 6 first and send
 * it before 5. So every stage first takes a transaction-scoped advisory lock on its instance and holds it
 * to COMMIT: stages of one instance draw their seq and commit one after another, seq order is commit
 * order, and the outbox head a worker sees is never overtaken by a message that commits later. Stages of
 * different instances do not wait for each other. (The two-key form of the lock lives in its own key space,
 * apart from the migration runner's single-key lock.)
 *
 * Idempotency: `INSERT ... ON CONFLICT DO NOTHING`, then, when nothing was inserted, a read of the row
 * holding the key. A concurrent duplicate's INSERT waits for the first transaction and then does nothing;
 * the read (a new snapshot under READ COMMITTED) sees the committed holder. Unlike catching the unique
 * violation, DO NOTHING leaves a caller's enclosing transaction usable. The queued history entry is written
 * by the same statement (a data-modifying CTE).
 */
import { DomainError, type NewMessage, type StageResult } from '@whatisup/core';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { toMessage, toMessageRow } from './kysely-message-rows.js';

/** Attempts when the key's holder vanished between our INSERT and our read (deleted meanwhile). */
const STAGE_ATTEMPTS = 3;

export async function stageMessage(db: Kysely<Database>, message: NewMessage): Promise<StageResult> {
  if (db.isTransaction) return stageLocked(db, message);
  return db.transaction().execute((trx) => stageLocked(trx, message));
}

async function stageLocked(db: Kysely<Database>, message: NewMessage): Promise<StageResult> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('whatisup.messages.stage'), hashtext(${message.instanceId}))`.execute(db);
  for (let attempt = 0; attempt < STAGE_ATTEMPTS; attempt++) {
    const inserted = await db
      .with('m', (qb) =>
        qb.insertInto('messages').values(toMessageRow(message)).onConflict((oc) => oc.doNothing()).returningAll(),
      )
      .with('h', (qb) =>
        qb
          .insertInto('message_status_history')
          .columns(['message_id', 'customer_id', 'status', 'at'])
          .expression((eb) => eb.selectFrom('m').select(['m.id', 'm.customer_id', 'm.status', 'm.created_at'])),
      )
      .selectFrom('m')
      .selectAll()
      .executeTakeFirst();
    if (inserted) return { outcome: 'staged', message: toMessage(inserted) };
    const holder = await findHolder(db, message);
    if (holder) return { outcome: 'duplicate', existing: toMessage(holder) };
    const sameId = await db.selectFrom('messages').select('id').where('id', '=', message.id).executeTakeFirst();
    if (sameId) break;
  }
  throw new DomainError('conflict', 'A message with this id already exists.');
}

/** The row holding the message's idempotency key (checked first) or its client_ref. */
async function findHolder(db: Kysely<Database>, message: NewMessage) {
  if (message.idempotencyKey !== null) {
    const byKey = await db
      .selectFrom('messages')
      .selectAll()
      .where('customer_id', '=', message.customerId)
      .where('idempotency_key', '=', message.idempotencyKey)
      .executeTakeFirst();
    if (byKey) return byKey;
  }
  if (message.clientRef === null) return undefined;
  return db
    .selectFrom('messages')
    .selectAll()
    .where('instance_id', '=', message.instanceId)
    .where('client_ref', '=', message.clientRef)
    .executeTakeFirst();
}
