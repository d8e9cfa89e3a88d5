/*
 * Outbound messages and their status trail.
 *
 * Every status change and its history entry are one statement (a data-modifying CTE), so they commit
 * together even outside a transaction. Receipts are monotonic in SQL: the UPDATE only matches while the
 * stored status ranks below the receipt's, and Postgres re-checks that condition against the newest row
 * version when two receipts race, so a late `delivered` never undoes `read`. A receipt under a lease fence
 * checks the lease in that same statement (see kysely-session-lease-repository.ts).
 *
 * Staging (order and idempotency) lives in kysely-message-stage.ts, claiming the head of an outbox in
 * kysely-message-claims.ts.
 */
import { toPage, type FenceCheck, type MessageHole, type MessageRepository } from '@whatisup/core';
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database, Json, MessagesTable } from './database.js';
import { createMessageClaims } from './kysely-message-claims.js';
import { MESSAGE_LIST_COLUMNS, toMessage, toStatusEntry } from './kysely-message-rows.js';
import { stageMessage } from './kysely-message-stage.js';
import { withDatabaseErrors } from './translate-database-error.js';
import { heldLease, LEASE_HELD } from './kysely-lease-fence.js';
import { fannedOut, fannedOutDeliveries, fanOutParameters, insertedDeliveries, matchedEndpoints, type FanOutMatch, type FanOutParameters } from './kysely-webhook-delivery-repository.js';
import { statementTemplate } from './statement-template.js';

export function createKyselyMessageRepository(db: Kysely<Database>): MessageRepository {
  const owned = (customerId: string) => db.selectFrom('messages').selectAll().where('customer_id', '=', customerId);

  return withDatabaseErrors<MessageRepository>({
    ...createMessageClaims(db),
    stage: (message) => stageMessage(db, message),
    stageIfInstance: (message, condition) => stageMessage(db, message, condition),
    async findById(customerId, id) {
      const row = await owned(customerId).where('id', '=', id).executeTakeFirst();
      return row ? toMessage(row) : null;
    },
    async findByIdempotencyKey(customerId, key) {
      const row = await owned(customerId).where('idempotency_key', '=', key).executeTakeFirst();
      return row ? toMessage(row) : null;
    },
    async findByClientRef(customerId, instanceId, clientRef) {
      const row = await owned(customerId)
        .where('instance_id', '=', instanceId)
        .where('client_ref', '=', clientRef)
        .executeTakeFirst();
      return row ? toMessage(row) : null;
    },
    async findByWhatsappId(instanceId, whatsappId) {
      const row = await db
        .selectFrom('messages')
        .selectAll()
        .where('instance_id', '=', instanceId)
        .where('whatsapp_id', '=', whatsappId)
        .orderBy('seq', 'asc')
        .executeTakeFirst();
      return row ? toMessage(row) : null;
    },
    async list(customerId, page, filter = {}) {
      // Named columns, and the body without inline media bytes: a page stays small whatever was sent.
      let query = db
        .selectFrom('messages')
        .select([...MESSAGE_LIST_COLUMNS, sql<Json>`body - 'media_base64'`.as('body')])
        .where('customer_id', '=', customerId)
        .where(sql<boolean>`body ->> 'type' <> 'action'`);
      if (filter.instanceId !== undefined) query = query.where('instance_id', '=', filter.instanceId);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (page.cursor) query = query.where('id', '<', page.cursor);
      const rows = await query.orderBy('id', 'desc').limit(page.limit + 1).execute();
      return toPage(rows.map(toMessage), page.limit);
    },
    async history(customerId, id) {
      const rows = await db
        .selectFrom('message_status_history')
        .selectAll()
        .where('customer_id', '=', customerId)
        .where('message_id', '=', id)
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toStatusEntry);
    },
    async listAwaitingReceipts(instanceId, { afterSeq, limit }) {
      let query = db
        .selectFrom('messages')
        .selectAll()
        .where('instance_id', '=', instanceId)
        .where('status', 'in', ['sent', 'delivered'])
        .where(sql<boolean>`body ->> 'type' <> 'action'`);
      if (afterSeq !== null) query = query.where('seq', '>', afterSeq);
      const rows = await query.orderBy('seq', 'asc').limit(limit).execute();
      return rows.map(toMessage);
    },
    async markStatus(instanceId, whatsappId, { status, at, participant }, fence, event) {
      const shape: ReceiptShape = { fenced: fence != null, holes: event == null ? null : event.holes };
      const values: ReceiptValues = {
        instanceId,
        whatsappId,
        status,
        at,
        participant,
        fence: fence ?? null,
        fanOut: event == null ? null : fanOutParameters(event.prepared.fanOut),
        parts: event == null ? [] : event.parts,
      };
      const { rows } = await receiptStatement.execute(db, values, shape);
      const found = rows[0];
      if (found === undefined) throw new Error('The receipt statement answered no row.');
      if (!found.held) return 'stale_fence';
      const { held: _held, advanced, deliveries, ...row } = found as typeof found & { deliveries?: FanOutMatch[] };
      if (row.id === null) return null;
      const message = toMessage(row as Selectable<MessagesTable>);
      return advanced === true ? { message, advanced: true, deliveries: fannedOutDeliveries(deliveries ?? []) } : { message, advanced: false, deliveries: [] };
    },
  });
}

interface ReceiptShape {
  readonly fenced: boolean;
  /** The holes of the event the receipt carries (one fewer than its payload's parts), or null without one. */
  readonly holes: readonly MessageHole[] | null;
}

interface ReceiptValues {
  readonly instanceId: string;
  readonly whatsappId: string;
  readonly status: string;
  readonly at: Date;
  readonly participant: string | null;
  readonly fence: FenceCheck | null;
  readonly fanOut: FanOutParameters | null;
  readonly parts: readonly string[];
}

/** A receipt's one statement (see `markStatus`), compiled once per shape (statement-template.ts). */
const receiptStatement = statementTemplate(
  (shape: ReceiptShape) => `receipt:${shape.fenced}:${shape.holes?.join(',') ?? '-'}`,
  (db, v: ReceiptValues, { fenced, holes }) => {
    // With a fence, the lease is read FOR SHARE in the same statement (see kysely-session-lease-repository.ts)
    // and the result says whether it held; without one, the same statement minus the lease.
    const moving = db
      .with('lease', (qb) => (fenced ? heldLease(qb, v.fence!) : qb.selectNoFrom(sql<number>`1`.as('held'))))
      .with('m', (qb) =>
        qb
          .updateTable('messages')
          .set({ status: v.status, updated_at: v.at })
          .where('instance_id', '=', v.instanceId)
          .where('whatsapp_id', '=', v.whatsappId)
          .where(sql<boolean>`${rank(sql.ref('status'))} < ${rank(sql`${v.status}::text`)}`)
          .where(LEASE_HELD)
          .returningAll(),
      )
      .with('h', (qb) =>
        qb
          .insertInto('message_status_history')
          .columns(['message_id', 'customer_id', 'status', 'at', 'participant'])
          .expression((eb) =>
            eb.selectFrom('m').select(['m.id', 'm.customer_id', 'm.status', 'm.updated_at', sql<string | null>`${v.participant}::text`.as('p')]),
          ),
      );
    // The event fans out only if the receipt moved the message, for the message's customer, with the
    // payload's holes filled from the moved row: same statement, so both or neither. Its CTEs are named
    // by raw SQL only (`fannedOut`), so the builder's type need not know them.
    const carrying = (
      holes === null
        ? moving
        : moving
            .with('matched', () => sql`(${matchedEndpoints(v.fanOut!, sql<boolean>`EXISTS (SELECT 1 FROM m)`, MOVED_CUSTOMER)})`)
            .with('created', () => sql`(${insertedDeliveries(v.fanOut!, { customer: MOVED_CUSTOMER, payload: filledPayload(v.parts, holes) })})`)
    ) as typeof moving;
    // The row the receipt moved or, when it moved none, the row as this statement's snapshot has it: "already
    // there or further" and "no such message" are told apart without a second statement. That matters in a
    // group or to a recipient with several devices, where most receipts of a message move nothing.
    const selected = carrying
      .with('fence', (qb) => qb.selectNoFrom(LEASE_HELD.as('held')))
      .with('r', (qb) =>
        qb
          .selectFrom('m')
          .selectAll()
          .select(sql<boolean>`true`.as('advanced'))
          .unionAll(
            qb
              .selectFrom('messages')
              .selectAll()
              .select(sql<boolean>`false`.as('advanced'))
              .where('instance_id', '=', v.instanceId)
              .where('whatsapp_id', '=', v.whatsappId)
              .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM m)`),
          ),
      )
      .selectFrom('fence')
      .leftJoin('r', (join) => join.onTrue())
      .selectAll('r')
      .select('fence.held');
    return holes === null ? selected : selected.select(fannedOut.as('deliveries'));
  },
);

/** The customer of the message a receipt moved (a receipt arrives on an instance, and names no customer). */
const MOVED_CUSTOMER = sql<string>`(SELECT customer_id FROM m LIMIT 1)`;

const HOLE_COLUMNS: Record<MessageHole, string> = { id: 'id', clientRef: 'client_ref', recipient: 'recipient' };

/**
 * A receipt event's payload, its holes filled from the moved row. Postgres's JSON of a text escapes as
 * JSON.stringify does (the short escapes, \u00xx for other control characters, nothing else), so the
 * bytes are `fillPayload`'s.
 */
const filledPayload = (parts: readonly string[], holes: readonly MessageHole[]) => {
  const pieces = [sql`${parts[0]}::text`, ...holes.map((hole, i) => sql`coalesce(to_json(m.${sql.ref(HOLE_COLUMNS[hole])})::text, 'null') || ${parts[i + 1]}::text`)];
  return sql<string>`(SELECT ${sql.join(pieces, sql` || `)} FROM m LIMIT 1)`;
};

/**
 * A status's place in the forward order. `failed` (and anything unknown) ranks NULL, so a comparison with
 * it is never true: a receipt never moves a message into or out of `failed`.
 */
const rank = (status: RawBuilder<unknown>) =>
  sql<number | null>`array_position(ARRAY['queued', 'sent', 'delivered', 'read']::text[], ${status})`;
