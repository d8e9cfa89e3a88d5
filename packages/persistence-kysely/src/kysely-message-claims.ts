/*
 * The worker side of the outbox: claiming the head of an instance's queue and settling it.
 *
 * `claimNext` is one conditional UPDATE of the head: the lowest-seq `queued` message of the instance
 * (found on the partial `messages_outbox` index), and only if it is due and holds no live claim. Of
 * concurrent claimers, one takes the row lock and wins; the others wait on it, Postgres re-checks their
 * WHERE clause against the claimed row, and they update nothing. The head is never skipped: a claimed or
 * backing-off head makes the whole instance wait, which is what serialises sending per instance.
 *
 * A lost race can leave the instance claimable without anyone having claimed it (the head was sent and a
 * new head appeared between our read and our write); the claim is then retried a few times rather than
 * reported as "wait".
 *
 * Ordering: stages of one instance commit in seq order (see kysely-message-stage.ts), so the head a worker
 * sees is never overtaken by a message that commits later.
 *
 * A fenced `markSent` checks the session lease in the same statement as the settle (the `lease` CTE, see
 * kysely-session-lease-repository.ts for why that is as safe as a `holds` before it), one round trip.
 * `markSentWithEvent` adds the event's fan-out to that statement (the CTEs of
 * kysely-webhook-delivery-repository.ts, gated on the settle having matched), so a sent message and its
 * `message.sent` deliveries commit together without a BEGIN/COMMIT.
 */
import type { EventFanOut, FenceCheck, MessageRepository } from '@whatisup/core';
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Database, MessagesTable } from './database.js';
import { toMessage } from './kysely-message-rows.js';
import { heldLease, LEASE_HELD } from './kysely-lease-fence.js';
import { fannedOut, fannedOutDeliveries, fanOutParameters, insertedDeliveries, matchedEndpoints, type FanOutMatch, type FanOutParameters } from './kysely-webhook-delivery-repository.js';
import { fieldsOf, statementTemplate } from './statement-template.js';

const CLAIM_ATTEMPTS = 3;

type Claims = Pick<MessageRepository, 'claimNext' | 'release' | 'markSent' | 'markSentWithEvent' | 'markFailed' | 'listInstancesWithQueued' | 'queuedBacklog'>;

const QUEUED = sql<boolean>`status = 'queued'`;
const noLiveClaim = (now: Date) => sql<boolean>`(claimed_until IS NULL OR claimed_until <= ${now})`;

/** The columns a settle sets besides the claim's and the body's: the status, its time, and what it carries. */
type SettledColumns = Pick<Updateable<MessagesTable>, 'status' | 'updated_at' | 'whatsapp_id' | 'error_code' | 'error_message'>;

interface SettleShape {
  readonly columns: ReadonlyArray<keyof SettledColumns>;
  readonly fenced: boolean;
  /** Whether the statement fans an event out (`fanOut` is then set). */
  readonly carrying: boolean;
}

interface SettleValues {
  readonly id: string;
  readonly token: string;
  readonly changes: SettledColumns;
  readonly fence: FenceCheck | null;
  readonly fanOut: FanOutParameters | null;
}

/** The claim of an instance's outbox head (see `claimNext`), compiled once (statement-template.ts). */
const claimStatement = statementTemplate(
  () => 'claim',
  (db, v: { readonly instanceId: string; readonly now: Date; readonly until: Date; readonly token: string }) =>
    db
      .updateTable('messages')
      .set({ claimed_until: v.until, claim_token: v.token })
      .where('id', '=', outboxHead(db, v.instanceId).select('id'))
      .where(QUEUED)
      .where('next_attempt_at', '<=', v.now)
      .where(noLiveClaim(v.now))
      .returningAll(),
);

/** The lowest-seq queued message of the instance (the partial index `messages_outbox`), to select from. */
const outboxHead = (db: Kysely<Database>, instanceId: string) =>
  db.selectFrom('messages').where('instance_id', '=', instanceId).where(QUEUED).orderBy('seq', 'asc').limit(1);

/** The settle's one statement (see `settle` below), compiled once per shape (statement-template.ts). */
const settleStatement = statementTemplate(
  (shape: SettleShape) => `settle:${shape.columns.join(',')}:${shape.fenced}:${shape.carrying}`,
  (db, v: SettleValues, { columns, fenced, carrying }) => {
    const settling = db
      .with('lease', (qb) => (fenced ? heldLease(qb, v.fence!) : qb.selectNoFrom(sql<number>`1`.as('held'))))
      .with('m', (qb) =>
        qb
          .updateTable('messages')
          .set({
            ...fieldsOf(v.changes, columns),
            body: sql<string>`message_body_without_inline_media(body)`,
            claimed_until: null,
            claim_token: null,
          })
          .where('id', '=', v.id)
          .where('claim_token', '=', v.token)
          .where(QUEUED)
          .where(LEASE_HELD)
          .returningAll(),
      )
      .with('h', (qb) =>
        qb
          .insertInto('message_status_history')
          .columns(['message_id', 'customer_id', 'status', 'at', 'error_code', 'error_message'])
          .expression((eb) =>
            eb.selectFrom('m').select(['m.id', 'm.customer_id', 'm.status', 'm.updated_at', 'm.error_code', 'm.error_message']),
          ),
      );
    // The event fans out only if the row above was settled: same statement, so both or neither. Its CTEs
    // are named by raw SQL only (`fannedOut`), so the builder's type need not know them.
    const carried = (
      carrying
        ? settling
            .with('matched', () => sql`(${matchedEndpoints(v.fanOut!, sql<boolean>`EXISTS (SELECT 1 FROM m)`)})`)
            .with('created', () => sql`(${insertedDeliveries(v.fanOut!)})`)
        : settling
    ) as typeof settling;
    const settled = carried
      .with('fence', (qb) => qb.selectNoFrom(LEASE_HELD.as('held')))
      .selectFrom('fence')
      .leftJoin('m', (join) => join.onTrue())
      .selectAll('m')
      .select('fence.held');
    return carrying ? settled.select(fannedOut.as('deliveries')) : settled;
  },
);

export function createMessageClaims(db: Kysely<Database>): Claims {
  /**
   * Settles the claim holder's queued message and appends its history entry, in one statement. A settled
   * message is never sent again, so an inline `media_base64` is replaced by its sha256 and size here. Under
   * a fence the write happens only while the lease holds; the result reads `lease` whatever the write
   * found, so its FOR SHARE lock is always taken, and says whether it held.
   */
  const settle = async (id: string, token: string, changes: SettledColumns, fence: FenceCheck | null, event: EventFanOut | null = null) => {
    const shape: SettleShape = { columns: Object.keys(changes) as Array<keyof SettledColumns>, fenced: fence !== null, carrying: event !== null };
    const values: SettleValues = { id, token, changes, fence, fanOut: event === null ? null : fanOutParameters(event) };
    const { rows } = await settleStatement.execute(db, values, shape);
    const row = rows[0];
    if (row === undefined) throw new Error('The settle statement answered no row.');
    if (!row.held) return 'stale_fence' as const;
    const { held: _held, deliveries, ...message } = row as typeof row & { deliveries?: FanOutMatch[] };
    if (message.id === null) return null;
    return { message: toMessage(message as Selectable<MessagesTable>), deliveries: deliveries ?? [] };
  };

  return {
    async claimNext(instanceId, { now, until, token }) {
      for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
        const claimed = (await claimStatement.execute(db, { instanceId, now, until, token }, undefined)).rows[0];
        if (claimed) return { claimed: true, message: toMessage(claimed) };
        const current = await outboxHead(db, instanceId).select(['next_attempt_at', 'claimed_until']).executeTakeFirst();
        if (current === undefined) return { claimed: false, retryAt: null };
        if (current.claimed_until !== null && current.claimed_until > now) {
          return { claimed: false, retryAt: current.claimed_until };
        }
        if (current.next_attempt_at > now) return { claimed: false, retryAt: current.next_attempt_at };
      }
      return { claimed: false, retryAt: now };
    },
    async release(id, token, { nextAttemptAt, attemptCount, at }) {
      await db
        .updateTable('messages')
        .set({ claimed_until: null, claim_token: null, next_attempt_at: nextAttemptAt, attempt_count: attemptCount, updated_at: at })
        .where('id', '=', id)
        .where('claim_token', '=', token)
        .where(QUEUED)
        .execute();
    },
    async markSent(id, token, { whatsappId, at }, fence) {
      const sent = await settle(id, token, { status: 'sent', whatsapp_id: whatsappId, updated_at: at }, fence ?? null);
      return sent === null || sent === 'stale_fence' ? sent : sent.message;
    },
    async markSentWithEvent(id, token, { whatsappId, at }, fence, event) {
      const sent = await settle(id, token, { status: 'sent', whatsapp_id: whatsappId, updated_at: at }, fence, event.fanOut);
      if (sent === null || sent === 'stale_fence') return sent;
      return { message: sent.message, deliveries: fannedOutDeliveries(sent.deliveries) };
    },
    async markFailed(id, token, { error, at }) {
      const failed = await settle(id, token, { status: 'failed', error_code: error.code, error_message: error.message, updated_at: at }, null);
      return failed === null || failed === 'stale_fence' ? null : failed.message; // never stale: no fence
    },
    async queuedBacklog() {
      // The partial index messages_outbox covers exactly the queued rows.
      const row = await db
        .selectFrom('messages')
        .select([sql<number>`count(*)`.as('queued'), sql<Date | null>`min(created_at)`.as('oldest')])
        .where(QUEUED)
        .executeTakeFirstOrThrow();
      return { queued: Number(row.queued), oldestCreatedAt: row.oldest === null ? null : new Date(row.oldest) };
    },
    async listInstancesWithQueued(now, { afterInstanceId, limit }) {
      // An instance with any live claim is being worked on: the sweeper leaves it to that worker. Grouping
      // by instance alone (its customer is fixed) walks messages_queued_instances in order, no sort.
      let query = db
        .selectFrom('messages')
        .select(['instance_id', sql<string>`min(customer_id)`.as('customer_id')])
        .where(QUEUED)
        .groupBy('instance_id')
        .having(sql<boolean>`bool_and(claimed_until IS NULL OR claimed_until <= ${now})`);
      if (afterInstanceId !== null) query = query.where('instance_id', '>', afterInstanceId);
      const rows = await query.orderBy('instance_id', 'asc').limit(limit).execute();
      return rows.map((row) => ({ instanceId: row.instance_id, customerId: row.customer_id }));
    },
  };
}
