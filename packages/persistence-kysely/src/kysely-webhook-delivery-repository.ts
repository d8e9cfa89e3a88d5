/*
 * Webhook deliveries and their attempts.
 *
 * Claiming is one conditional UPDATE (`... WHERE id = $1 AND status IN ('pending','retrying') AND
 * next_attempt_at <= now AND (claimed_until IS NULL OR claimed_until <= now) RETURNING`). Postgres
 * re-checks the WHERE clause against the newest row version after waiting for a concurrent writer's
 * row lock, so of any number of concurrent claims exactly one matches; the losers update nothing. A
 * failed claim then reads the row once to say when it may be worth trying again.
 *
 * Writes cost the recording transaction one round trip each, so each is one statement: an event's fan-out
 * matches the endpoints and inserts their deliveries in one INSERT ... SELECT, and a delivery written with an
 * audit event (the endpoint test) carries it in a data-modifying CTE, atomic without BEGIN/COMMIT.
 *
 * Status predicates the partial indexes are defined on (`webhook_deliveries_due`,
 * `webhook_deliveries_retention`) are written as SQL literals, not bound parameters, so the planner can
 * prove them and use those indexes for the sweeper's listing and for pruning.
 *
 * The tables are partitioned by day on the id (kysely-webhook-delivery-partitions.ts): every statement
 * that names a delivery id touches one partition. Pruning drops whole expired days, then deletes the
 * expired rows left in younger days (successes past their shorter retention) one partition at a time.
 */
import {
  selectorsFor,
  surplusDeliveryIdPrefix,
  toPage,
  type DeliveryClaimResult,
  type DeliveryCompletion,
  type EventFanOut,
  type FannedOutDelivery,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookDeliveryRepository,
} from '@whatisup/core';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.js';
import { auditEventRow } from './kysely-audit-log.js';
import { deleteExpiredRows } from './kysely-webhook-delivery-expiry.js';
import { dropExpiredDeliveryPartitions } from './kysely-webhook-delivery-partitions.js';
import { DELIVERY_SUMMARY_COLUMNS, toAttempt, toDelivery, toDeliverySummary } from './kysely-webhook-delivery-rows.js';
import { toStoredEndpoint } from './kysely-webhook-endpoint-repository.js';
import { fieldsOf, statementTemplate } from './statement-template.js';
import { withDatabaseErrors } from './translate-database-error.js';

const ACTIVE = sql<boolean>`status IN ('pending', 'retrying')`;
const noLiveClaim = (now: Date) => sql<boolean>`(claimed_until IS NULL OR claimed_until <= ${now})`;

const completionRow = (completion: DeliveryCompletion) => ({
  status: completion.status,
  attempt_count: completion.attemptCount,
  next_attempt_at: completion.nextAttemptAt,
  last_response_status: completion.lastResponseStatus,
  last_error: completion.lastError,
  delivered_at: completion.deliveredAt,
  updated_at: completion.at,
  claimed_until: null,
  claim_token: null,
});

const deliveryRow = (d: WebhookDelivery) => ({
  id: d.id,
  customer_id: d.customerId,
  endpoint_id: d.endpointId,
  instance_id: d.instanceId,
  event: d.event,
  event_id: d.eventId,
  payload: d.payload,
  status: d.status,
  attempt_count: d.attemptCount,
  next_attempt_at: d.nextAttemptAt,
  last_response_status: d.lastResponseStatus,
  last_error: d.lastError,
  delivered_at: d.deliveredAt,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
  traceparent: d.traceparent ?? null,
});

const attemptRow = (attempt: WebhookDeliveryAttempt) => ({
  id: attempt.id,
  delivery_id: attempt.deliveryId,
  customer_id: attempt.customerId,
  attempt_number: attempt.attemptNumber,
  started_at: attempt.startedAt,
  duration_ms: Math.round(attempt.durationMs),
  response_status: attempt.responseStatus,
  error: attempt.error,
  response_excerpt: attempt.responseExcerpt,
});

/*
 * An event's fan-out, as CTEs another write can carry (a message marked sent fans out `message.sent` in its
 * own statement): `matched` (the endpoints that want it, gated by a condition such as "the write happened"),
 * `created` (their deliveries) and `fannedOut` (what was written, for the caller). Matching as findMatching
 * (enabled, bound to no instance or the event's, subscribed by name, family or '*'); the n-th match by
 * endpoint id takes the n-th given id; a match beyond the ids given gets an id the statement derives itself
 * (`surplusDeliveryId`), so every delivery is written by this one statement and none is left to another.
 */
export const matchedEndpoints = (fanOut: FanOutParameters, gate: RawBuilder<boolean>, customer: RawBuilder<string> = sql`${fanOut.customerId}::text`) => sql<{
  id: string;
  url: string;
  n: number;
}>`
  SELECT id, url, row_number() OVER (ORDER BY id) AS n
  FROM webhook_endpoints
  WHERE customer_id = ${customer}
    AND enabled
    AND (instance_id IS NULL OR instance_id = ${fanOut.instanceId}::text)
    AND events && ${fanOut.selectors}::text[]
    AND ${gate}`;

/** `customer` and `payload` may be computed by the carrying statement (a receipt's, from the row it moved). */
export const insertedDeliveries = (
  fanOut: FanOutParameters,
  { customer = sql<string>`${fanOut.customerId}::text`, payload = sql<string>`${fanOut.payload}::text` }: { customer?: RawBuilder<string>; payload?: RawBuilder<string> } = {},
) => sql<{ id: string; endpoint_id: string }>`
  INSERT INTO webhook_deliveries
    (id, customer_id, endpoint_id, instance_id, event, event_id, payload, status, attempt_count,
     next_attempt_at, created_at, updated_at, traceparent)
  SELECT coalesce((${fanOut.ids}::text[])[n], ${fanOut.surplusIdPrefix}::text || upper(substr(md5(${fanOut.eventId}::text || matched.id), 1, 16))),
         ${customer}, matched.id, ${fanOut.instanceId}::text,
         ${fanOut.event}::text, ${fanOut.eventId}::text, ${payload}, 'pending', 0,
         ${fanOut.at}::timestamptz, ${fanOut.at}::timestamptz, ${fanOut.at}::timestamptz, ${fanOut.traceparent}::text
  FROM matched
  RETURNING id, endpoint_id`;

/**
 * An event's fan-out as the values its CTEs put into the statement, everything they would compute from the
 * fan-out computed here (the subscriptions that match its name, the prefix of surplus ids), so a statement
 * template can carry them (statement-template.ts).
 */
export interface FanOutParameters {
  readonly customerId: string;
  readonly instanceId: string | null;
  readonly event: string;
  readonly eventId: string;
  readonly payload: string;
  readonly at: Date;
  readonly traceparent: string | null;
  readonly ids: readonly string[];
  readonly selectors: readonly string[];
  readonly surplusIdPrefix: string;
}

export const fanOutParameters = (fanOut: EventFanOut): FanOutParameters => ({
  customerId: fanOut.customerId,
  instanceId: fanOut.instanceId,
  event: fanOut.event,
  eventId: fanOut.eventId,
  payload: fanOut.payload,
  at: fanOut.at,
  traceparent: fanOut.traceparent,
  ids: [...fanOut.ids],
  selectors: selectorsFor(fanOut.event),
  surplusIdPrefix: surplusDeliveryIdPrefix(fanOut.at),
});

/** The matches with the ids of their deliveries (null only when the carrying write did not happen), ordered by endpoint id. */
export const fannedOut = sql<FanOutMatch[]>`(
  SELECT coalesce(json_agg(json_build_object('endpoint_id', matched.id, 'url', matched.url, 'delivery_id', created.id) ORDER BY matched.n), '[]'::json)
  FROM matched LEFT JOIN created ON created.endpoint_id = matched.id)`;

export interface FanOutMatch {
  readonly endpoint_id: string;
  readonly url: string;
  readonly delivery_id: string | null;
}

type FanOutRow = { deliveries: FanOutMatch[] };

/** What a fan-out wrote, in the port's terms. */
export function fannedOutDeliveries(rows: readonly FanOutMatch[]): FannedOutDelivery[] {
  return rows.flatMap((row) => (row.delivery_id === null ? [] : [{ deliveryId: row.delivery_id, endpointId: row.endpoint_id, url: row.url }]));
}

/** A delivery's claim with its endpoint's row (see `claim`), compiled once (statement-template.ts). */
const claimStatement = statementTemplate(
  () => 'delivery claim',
  (db, v: { readonly id: string; readonly now: Date; readonly until: Date; readonly token: string }) =>
    db
      .with('claimed', (qb) =>
        qb
          .updateTable('webhook_deliveries')
          .set({ claimed_until: v.until, claim_token: v.token })
          .where('id', '=', v.id)
          .where(ACTIVE)
          .where('next_attempt_at', '<=', v.now)
          .where(noLiveClaim(v.now))
          .returningAll(),
      )
      .selectFrom('claimed')
      .leftJoin('webhook_endpoints as e', (join) => join.onRef('e.id', '=', 'claimed.endpoint_id').onRef('e.customer_id', '=', 'claimed.customer_id'))
      .selectAll('claimed')
      .select([
        'e.id as e_id',
        'e.customer_id as e_customer_id',
        'e.instance_id as e_instance_id',
        'e.url as e_url',
        'e.description as e_description',
        'e.events as e_events',
        'e.enabled as e_enabled',
        'e.disabled_reason as e_disabled_reason',
        'e.secret_ciphertext as e_secret_ciphertext',
        'e.secret_key_id as e_secret_key_id',
        'e.previous_secret_ciphertext as e_previous_secret_ciphertext',
        'e.previous_secret_key_id as e_previous_secret_key_id',
        'e.previous_secret_expires_at as e_previous_secret_expires_at',
        'e.created_at as e_created_at',
        'e.updated_at as e_updated_at',
      ]),
);

type AttemptRow = ReturnType<typeof attemptRow>;
type AttemptColumn = keyof AttemptRow;
type CompletionRow = ReturnType<typeof completionRow>;
type CompletionColumn = keyof CompletionRow;

interface AttemptShape {
  readonly attemptColumns: readonly AttemptColumn[];
  readonly completionColumns: readonly CompletionColumn[];
}

interface AttemptValues {
  readonly attempt: AttemptRow;
  readonly token: string;
  readonly completion: CompletionRow;
}

/**
 * An attempt and the delivery's outcome in one statement: data-modifying CTEs all run, referenced or not, so
 * one round trip without BEGIN/COMMIT. Compiled once per shape (statement-template.ts).
 */
const attemptStatement = statementTemplate(
  (shape: AttemptShape) => `attempt:${shape.attemptColumns.join(',')}:${shape.completionColumns.join(',')}`,
  (db, v: AttemptValues, { attemptColumns, completionColumns }) =>
    db
      .with('attempt', (qb) => qb.insertInto('webhook_delivery_attempts').values(fieldsOf(v.attempt, attemptColumns)).returning('id'))
      .with('done', (qb) =>
        qb
          .updateTable('webhook_deliveries')
          .set(fieldsOf(v.completion, completionColumns))
          .where('id', '=', v.attempt.delivery_id)
          .where('claim_token', '=', v.token)
          .returning('id'),
      )
      .selectFrom('done')
      .select('id'),
);

export function createKyselyWebhookDeliveryRepository(db: Kysely<Database>): WebhookDeliveryRepository {
  const owned = (customerId: string) =>
    db.selectFrom('webhook_deliveries').selectAll().where('customer_id', '=', customerId);

  return withDatabaseErrors<WebhookDeliveryRepository>({
    async createMany(deliveries, audit) {
      if (deliveries.length === 0 && audit === undefined) return;
      if (audit === undefined) {
        await db.insertInto('webhook_deliveries').values(deliveries.map(deliveryRow)).execute();
        return;
      }
      // The audit event rides along as a data-modifying CTE: one statement, so both rows or neither,
      // without a BEGIN/COMMIT round trip each.
      const withAudit = db.with('audit', (qb) => qb.insertInto('audit_events').values(auditEventRow(audit, audit.occurredAt)).returning('id'));
      if (deliveries.length === 0) await withAudit.selectFrom('audit').select('id').execute();
      else await withAudit.insertInto('webhook_deliveries').values(deliveries.map(deliveryRow)).execute();
    },
    async createForMatchingEndpoints(fanOut) {
      const parameters = fanOutParameters(fanOut);
      const { rows } = await sql<FanOutRow>`
        WITH matched AS (${matchedEndpoints(parameters, sql<boolean>`true`)}), created AS (${insertedDeliveries(parameters)})
        SELECT ${fannedOut} AS deliveries
      `.execute(db);
      return fannedOutDeliveries(rows[0]!.deliveries);
    },
    async findById(customerId, id) {
      const row = await owned(customerId).where('id', '=', id).executeTakeFirst();
      return row ? toDelivery(row) : null;
    },
    async list(customerId, page, filter = {}) {
      // Named columns without the payload: lists never show it, and it is most of a row's bytes.
      let query = db.selectFrom('webhook_deliveries').select(DELIVERY_SUMMARY_COLUMNS).where('customer_id', '=', customerId);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.event !== undefined) query = query.where('event', '=', filter.event);
      if (filter.instanceId !== undefined) query = query.where('instance_id', '=', filter.instanceId);
      if (filter.endpointId !== undefined) query = query.where('endpoint_id', '=', filter.endpointId);
      if (page.cursor) query = query.where('id', '<', page.cursor);
      const rows = await query.orderBy('id', 'desc').limit(page.limit + 1).execute();
      return toPage(rows.map(toDeliverySummary), page.limit);
    },
    async listAttempts(customerId, deliveryId) {
      const rows = await db
        .selectFrom('webhook_delivery_attempts')
        .selectAll()
        .where('customer_id', '=', customerId)
        .where('delivery_id', '=', deliveryId)
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toAttempt);
    },
    async claim(id, { now, until, token }): Promise<DeliveryClaimResult> {
      // The claim and the endpoint's row in one statement: the worker needs both before it can send.
      const row = (await claimStatement.execute(db, { id, now, until, token }, undefined)).rows[0];
      if (row) {
        const endpoint =
          row.e_id === null
            ? null
            : toStoredEndpoint({
                id: row.e_id,
                customer_id: row.e_customer_id!,
                instance_id: row.e_instance_id,
                url: row.e_url!,
                description: row.e_description,
                events: row.e_events!,
                enabled: row.e_enabled!,
                disabled_reason: row.e_disabled_reason,
                secret_ciphertext: row.e_secret_ciphertext!,
                secret_key_id: row.e_secret_key_id!,
                previous_secret_ciphertext: row.e_previous_secret_ciphertext,
                previous_secret_key_id: row.e_previous_secret_key_id,
                previous_secret_expires_at: row.e_previous_secret_expires_at,
                created_at: row.e_created_at!,
                updated_at: row.e_updated_at!,
              });
        return { claimed: true, delivery: toDelivery(row), endpoint };
      }
      const current = await db
        .selectFrom('webhook_deliveries')
        .select(['status', 'next_attempt_at', 'claimed_until'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (current === undefined || current.status === 'success' || current.status === 'failed') {
        return { claimed: false, retryAt: null };
      }
      const live = current.claimed_until !== null && current.claimed_until.getTime() > now.getTime();
      return { claimed: false, retryAt: live ? current.claimed_until : current.next_attempt_at };
    },
    async release(id, token) {
      await db
        .updateTable('webhook_deliveries')
        .set({ claimed_until: null, claim_token: null })
        .where('id', '=', id)
        .where('claim_token', '=', token)
        .execute();
    },
    async complete(id, token, completion) {
      const row = await db
        .updateTable('webhook_deliveries')
        .set(completionRow(completion))
        .where('id', '=', id)
        .where('claim_token', '=', token)
        .returningAll()
        .executeTakeFirst();
      return row ? toDelivery(row) : null;
    },
    async recordAttempt(attempt, token, completion) {
      const values: AttemptValues = { attempt: attemptRow(attempt), token, completion: completionRow(completion) };
      const shape: AttemptShape = { attemptColumns: Object.keys(values.attempt) as AttemptColumn[], completionColumns: Object.keys(values.completion) as CompletionColumn[] };
      const { rows } = await attemptStatement.execute(db, values, shape);
      return rows.length > 0;
    },
    async appendAttempt(attempt) {
      await db.insertInto('webhook_delivery_attempts').values(attemptRow(attempt)).execute();
    },
    async listDue(now, limit, after = null) {
      let query = db
        .selectFrom('webhook_deliveries')
        .select(['id', 'next_attempt_at', 'traceparent'])
        .where(ACTIVE)
        .where('next_attempt_at', '<=', now)
        .where(noLiveClaim(now));
      if (after !== null) {
        query = query.where((eb) =>
          eb.or([
            eb('next_attempt_at', '>', after.nextAttemptAt),
            eb.and([eb('next_attempt_at', '=', after.nextAttemptAt), eb('id', '>', after.id)]),
          ]),
        );
      }
      const rows = await query.orderBy('next_attempt_at', 'asc').orderBy('id', 'asc').limit(limit).execute();
      return rows.map((row) => ({ id: row.id, nextAttemptAt: row.next_attempt_at!, traceparent: row.traceparent }));
    },
    async backlog(now) {
      // Both counts and the minimum read the partial index webhook_deliveries_due (active rows only).
      const row = await db
        .selectFrom('webhook_deliveries')
        .select([
          sql<string>`count(*)`.as('waiting'),
          sql<string>`count(*) FILTER (WHERE next_attempt_at <= ${now})`.as('due'),
          sql<Date | null>`min(next_attempt_at) FILTER (WHERE next_attempt_at <= ${now})`.as('oldest_due_at'),
        ])
        .where(ACTIVE)
        .executeTakeFirstOrThrow();
      return { waiting: Number(row.waiting), due: Number(row.due), oldestDueAt: row.oldest_due_at === null ? null : new Date(row.oldest_due_at) };
    },
    async replay(customerId, id, at) {
      // A claim that expired belonged to a worker that died: clearing its token means a late `complete`
      // from it cannot overwrite the new series.
      const row = await db
        .updateTable('webhook_deliveries')
        .set(replayed(at))
        .where('customer_id', '=', customerId)
        .where('id', '=', id)
        .where(noLiveClaim(at))
        .returningAll()
        .executeTakeFirst();
      return row ? toDelivery(row) : null;
    },
    async replayFailed(customerId, endpointId, since, at) {
      const rows = await db
        .updateTable('webhook_deliveries')
        .set(replayed(at))
        .where('customer_id', '=', customerId)
        .where('endpoint_id', '=', endpointId)
        .where('status', '=', 'failed')
        .where('created_at', '>=', since)
        .where(noLiveClaim(at))
        .returning('id')
        .execute();
      return rows.map((row) => row.id).sort();
    },
    async prune(cutoffs) {
      const dropped = await dropExpiredDeliveryPartitions(db, cutoffs);
      const deleted = await deleteExpiredRows(db, cutoffs);
      return { success: dropped.success + deleted.success, failed: dropped.failed + deleted.failed };
    },
  });
}

function replayed(at: Date) {
  return {
    status: 'pending',
    attempt_count: 0,
    next_attempt_at: at,
    last_error: null,
    last_response_status: null,
    delivered_at: null,
    claimed_until: null,
    claim_token: null,
    updated_at: at,
  };
}
