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
 * Outside a caller's transaction the lock, the INSERT and the history entry are ONE statement (autocommit):
 * the rows are selected FROM the lock's CTE, so the lock is taken before the row (and its seq) is made, and
 * an implicit transaction's lock is held to its COMMIT like any other. One round trip instead of four
 * (BEGIN, lock, INSERT, COMMIT), and the lock is held for the statement only, not across the client's round
 * trips, so stages of one instance follow each other much faster. The values are cast to their columns'
 * types because INSERT ... SELECT does not infer a parameter's type from its target column.
 *
 * Idempotency: `INSERT ... ON CONFLICT DO NOTHING`, then, when nothing was inserted, a read of the row
 * holding the key. A concurrent duplicate's INSERT waits for the first transaction and then does nothing;
 * the read (a new snapshot under READ COMMITTED) sees the committed holder. Unlike catching the unique
 * violation, DO NOTHING leaves a caller's enclosing transaction usable. The queued history entry is written
 * by the same statement (a data-modifying CTE).
 */
import { DomainError, type NewMessage, type StageResult } from '@whatisup/core';
import { sql, type Kysely } from 'kysely';
import type { Database, MessagesTable } from './database.js';
import { toMessage, toMessageRow } from './kysely-message-rows.js';

/** Attempts when the key's holder vanished between our INSERT and our read (deleted meanwhile). */
const STAGE_ATTEMPTS = 3;

/** Column types of `messages` for the casts of the one-statement stage; every other column is text. */
const MESSAGE_COLUMN_TYPES: Partial<Record<keyof MessagesTable, string>> = {
  body: 'jsonb',
  attempt_count: 'integer',
  typing_ms: 'integer',
  status_post: 'jsonb',
  next_attempt_at: 'timestamptz',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
};

const stageLock = (instanceId: string) =>
  sql`pg_advisory_xact_lock(hashtext('whatisup.messages.stage'), hashtext(${instanceId}))`;

export async function stageMessage(db: Kysely<Database>, message: NewMessage): Promise<StageResult> {
  if (db.isTransaction) {
    await sql`SELECT ${stageLock(message.instanceId)}`.execute(db);
    return stageLocked(db, message, false);
  }
  return stageLocked(db, message, true);
}

async function stageLocked(db: Kysely<Database>, message: NewMessage, lockInStatement: boolean): Promise<StageResult> {
  const row = toMessageRow(message);
  const columns = Object.keys(row) as Array<keyof typeof row>;
  for (let attempt = 0; attempt < STAGE_ATTEMPTS; attempt++) {
    const inserted = await db
      .with('lock', (qb) => qb.selectNoFrom(sql<boolean>`${lockInStatement ? stageLock(message.instanceId) : sql`NULL`} IS NULL`.as('locked')))
      .with('m', (qb) =>
        qb
          .insertInto('messages')
          .columns(columns)
          .expression((eb) =>
            eb.selectFrom('lock').select(columns.map((column) => sql`CAST(${row[column]} AS ${sql.raw(MESSAGE_COLUMN_TYPES[column] ?? 'text')})`.as(column))),
          )
          .onConflict((oc) => oc.doNothing())
          .returningAll(),
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
