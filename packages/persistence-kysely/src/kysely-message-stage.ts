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
 *
 * A condition on the instance (a send: only while it is connected or reconnecting) is one more CTE of the same
 * statement: the INSERT selects nothing unless the customer's instance is in one of the statuses, and the
 * statement answers the status it saw, so the caller needs no read of the instance beforehand.
 */
import { DomainError, type ConditionalStageResult, type InstanceStatus, type NewMessage, type StageCondition, type StageResult } from '@whatisup/core';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, MessagesTable } from './database.js';
import { toMessage, toMessageRow } from './kysely-message-rows.js';
import { statementTemplate } from './statement-template.js';

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

export function stageMessage(db: Kysely<Database>, message: NewMessage): Promise<StageResult>;
export function stageMessage(db: Kysely<Database>, message: NewMessage, condition: StageCondition): Promise<ConditionalStageResult>;
export async function stageMessage(db: Kysely<Database>, message: NewMessage, condition?: StageCondition): Promise<ConditionalStageResult> {
  if (db.isTransaction) {
    await sql`SELECT ${stageLock(message.instanceId)}`.execute(db);
    return stageLocked(db, message, false, condition);
  }
  return stageLocked(db, message, true, condition);
}

/** What the one-statement stage's SQL depends on; the values are `StageValues`. */
interface StageShape {
  readonly lockInStatement: boolean;
  readonly conditional: boolean;
  readonly columns: ReadonlyArray<keyof Insertable<MessagesTable>>;
}

interface StageValues {
  readonly row: Insertable<MessagesTable>;
  readonly instanceId: string;
  readonly customerId: string;
  readonly statuses: readonly string[];
}

const stageStatement = statementTemplate(
  (shape: StageShape) => `stage:${shape.lockInStatement}:${shape.conditional}:${shape.columns.join(',')}`,
  (db, v: StageValues, { lockInStatement, conditional, columns }) =>
    db
      .with('lock', (qb) => qb.selectNoFrom(sql<boolean>`${lockInStatement ? stageLock(v.instanceId) : sql`NULL`} IS NULL`.as('locked')))
      .with('inst', (qb) => qb.selectFrom('instances').select('status').where('id', '=', v.instanceId).where('customer_id', '=', v.customerId))
      .with('m', (qb) =>
        qb
          .insertInto('messages')
          .columns(columns)
          .expression((eb) =>
            eb
              .selectFrom('lock')
              .select(columns.map((column) => sql`CAST(${v.row[column]} AS ${sql.raw(MESSAGE_COLUMN_TYPES[column] ?? 'text')})`.as(column)))
              .$if(conditional, (qb) =>
                qb.where(({ exists, selectFrom }) => exists(selectFrom('inst').select('inst.status').where(sql<boolean>`inst.status = ANY(${v.statuses}::text[])`))),
              ),
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
      .selectFrom(sql<{ instance_status: string | null }>`(SELECT (SELECT status FROM inst) AS instance_status)`.as('i'))
      .leftJoin('m', (join) => join.onTrue())
      .selectAll('m')
      .select('i.instance_status'),
);

async function stageLocked(db: Kysely<Database>, message: NewMessage, lockInStatement: boolean, condition?: StageCondition): Promise<ConditionalStageResult> {
  const row = toMessageRow(message);
  const columns = Object.keys(row) as Array<keyof typeof row>;
  const statuses = condition?.instanceStatusIn ?? [];
  const shape: StageShape = { lockInStatement, conditional: condition !== undefined, columns };
  const values: StageValues = { row, instanceId: message.instanceId, customerId: message.customerId, statuses };
  for (let attempt = 0; attempt < STAGE_ATTEMPTS; attempt++) {
    const { rows } = await stageStatement.execute(db, values, shape);
    const result = rows[0];
    if (result === undefined) throw new Error('The stage statement answered no row.');
    const { instance_status: instanceStatus, ...inserted } = result;
    if (inserted.id !== null) return { outcome: 'staged', message: toMessage(inserted as Parameters<typeof toMessage>[0]) };
    if (condition !== undefined && (instanceStatus === null || !statuses.includes(instanceStatus as InstanceStatus))) {
      return { outcome: 'instance_unavailable', status: instanceStatus as InstanceStatus | null };
    }
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
