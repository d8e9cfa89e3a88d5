import { DELETED_STATUS, toPage, type Instance, type InstanceKind, type InstanceRepository, type InstanceStatus } from '@whatisup/core';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, InstancesTable } from './database.js';
import { heldLease, LEASE_HELD } from './kysely-lease-fence.js';
import { statementTemplate } from './statement-template.js';
import { withDatabaseErrors } from './translate-database-error.js';
import { jsonParameter } from './json-parameter.js';
import { auditEventRow } from './kysely-audit-log.js';
import { fannedOut, fannedOutDeliveries, fanOutParameters, insertedDeliveries, matchedEndpoints, type FanOutMatch } from './kysely-webhook-delivery-repository.js';

/** A customer's live instance by id: read by every instance-scoped request, so compiled once (statement-template.ts). */
const findStatement = statementTemplate(
  () => 'instance by id',
  (db, v: { readonly customerId: string; readonly id: string }) =>
    db.selectFrom('instances').selectAll().where('customer_id', '=', v.customerId).where('deleted_at', 'is', null).where('id', '=', v.id),
);

/** Every read and write is filtered by customer and skips soft-deleted rows, except listByStatus. */
export function createKyselyInstanceRepository(db: Kysely<Database>): InstanceRepository {
  const live = (customerId: string) =>
    db.selectFrom('instances').selectAll().where('customer_id', '=', customerId).where('deleted_at', 'is', null);

  return withDatabaseErrors<InstanceRepository>({
    async create(instance) {
      const row = await db
        .insertInto('instances')
        .values({
          id: instance.id,
          customer_id: instance.customerId,
          name: instance.name,
          kind: instance.kind,
          status: instance.status,
          status_reason: instance.statusReason,
          phone_number: instance.phoneNumber,
          last_seen_at: instance.lastSeenAt,
          metadata: jsonParameter(instance.metadata, 'metadata'),
          created_at: instance.createdAt,
          updated_at: instance.updatedAt,
          deleted_at: instance.deletedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toInstance(row);
    },
    async findById(customerId, id) {
      const row = (await findStatement.execute(db, { customerId, id }, undefined)).rows[0];
      return row ? toInstance(row) : null;
    },
    async list(customerId, page, filter = {}) {
      let query = live(customerId);
      if (filter.onlyId !== undefined) query = query.where('id', '=', filter.onlyId);
      if (page.cursor) query = query.where('id', '<', page.cursor);
      const rows = await query.orderBy('id', 'desc').limit(page.limit + 1).execute();
      return toPage(rows.map(toInstance), page.limit);
    },
    async updateStatus(customerId, id, from, change, fence) {
      if (from.length === 0) return null;
      // Under a fence the lease is read FOR SHARE in this statement (see kysely-session-lease-repository.ts).
      // A stale fence and a status not in `from` both answer null, so only the update reads the CTE.
      const row = await db
        .with('lease', (qb) => (fence == null ? qb.selectNoFrom(sql<number>`1`.as('held')) : heldLease(qb, fence)))
        .with('i', (qb) =>
          qb
            .updateTable('instances')
            .set({
              status: change.status,
              status_reason: change.statusReason,
              ...(change.phoneNumber === undefined ? {} : { phone_number: change.phoneNumber }),
              updated_at: change.at,
            })
            .where('customer_id', '=', customerId)
            .where('id', '=', id)
            .where('deleted_at', 'is', null)
            .where('status', 'in', [...from])
            .where(LEASE_HELD)
            .returningAll(),
        )
        .selectFrom('i')
        .selectAll()
        .executeTakeFirst();
      return row ? toInstance(row) : null;
    },
    async transition(customerId, id, write, fence) {
      // `cur` locks the row and reads its status, `target` decides from it, `i` writes, and the audit event
      // and the event's fan-out (the CTEs of kysely-webhook-delivery-repository.ts) ride on `i`: one
      // statement, so all of it or none. Data-modifying CTEs run whether or not the final SELECT reads them.
      const paired = write.whilePaired !== undefined ? sql<boolean>`cur.previous IN ('connected', 'reconnecting')` : sql<boolean>`false`;
      const other = write.whilePaired ?? write;
      const audit = auditEventRow(
        { customerId, actor: write.actor, action: 'instance.status_changed', targetType: 'instance', targetId: id, instanceId: id, data: {} },
        write.at,
      );
      const event = write.event ?? null;
      const due = sql<boolean>`EXISTS (SELECT 1 FROM i WHERE i.status = ${write.to}::text${
        event?.onlyIfChanged ? sql` AND i.previous <> ${write.to}::text` : sql``
      })`;
      const parameters = event === null ? null : fanOutParameters(event.prepared.fanOut);
      const fanOut = parameters === null ? sql`` : sql`,
        matched AS (${matchedEndpoints(parameters, due)}),
        created AS (${insertedDeliveries(parameters)})`;
      const { rows } = await sql<Selectable<InstancesTable> & { previous: InstanceStatus; event_written?: boolean; deliveries?: FanOutMatch[] }>`
        WITH lease AS (${fence == null ? sql`SELECT 1 AS held` : heldLease(db, fence)}),
        cur AS (
          SELECT id, status AS previous FROM instances
          WHERE customer_id = ${customerId}::text AND id = ${id}::text AND deleted_at IS NULL
          FOR UPDATE),
        target AS (
          SELECT id, previous,
                 CASE WHEN ${paired} THEN ${other.to}::text ELSE ${write.to}::text END AS status,
                 CASE WHEN ${paired} THEN previous = ANY(${[...other.from]}::text[]) ELSE previous = ANY(${[...write.from]}::text[]) END AS allowed
          FROM cur),
        i AS (
          UPDATE instances
          SET status = target.status,
              status_reason = ${write.statusReason}::text,
              phone_number = ${write.phoneNumber === undefined ? sql`instances.phone_number` : sql`${write.phoneNumber}::text`},
              updated_at = ${write.at}::timestamptz
          FROM target
          WHERE instances.id = target.id AND target.allowed AND ${LEASE_HELD}
          RETURNING instances.*, target.previous),
        audit AS (
          INSERT INTO audit_events
            (id, customer_id, actor_type, actor_api_key_id, actor_id, action, target_type, target_id, instance_id, data, occurred_at)
          SELECT ${audit.id}::text, ${customerId}::text, ${audit.actor_type}::text, ${audit.actor_api_key_id}::text, ${audit.actor_id}::text,
                 'instance.status_changed', 'instance', ${id}::text, ${id}::text,
                 jsonb_build_object('from', i.previous, 'to', i.status, 'reason', ${write.statusReason}::text), ${write.at}::timestamptz
          FROM i WHERE i.previous <> i.status
          RETURNING id)${fanOut}
        SELECT i.*${event === null ? sql`` : sql`, ${due} AS event_written, ${fannedOut} AS deliveries`} FROM i`.execute(db);
      const row = rows[0];
      if (row === undefined) return null;
      const { previous, event_written: eventWritten, deliveries, ...instance } = row;
      return { instance: toInstance(instance), previous, eventWritten: eventWritten === true, deliveries: fannedOutDeliveries(deliveries ?? []) };
    },
    async softDelete(customerId, id, at) {
      const row = await db
        .updateTable('instances')
        .set({ status: DELETED_STATUS.status, status_reason: DELETED_STATUS.statusReason, deleted_at: at, updated_at: at })
        .where('customer_id', '=', customerId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row ? toInstance(row) : null;
    },
    async countByStatus() {
      const rows = await db
        .selectFrom('instances')
        .select(['status', sql<number>`count(*)`.as('count')])
        .where('deleted_at', 'is', null)
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
    },
    async listByStatus(statuses) {
      if (statuses.length === 0) return [];
      const rows = await db
        .selectFrom('instances')
        .selectAll()
        .where('deleted_at', 'is', null)
        .where('status', 'in', [...statuses])
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toInstance);
    },
  });
}

export function toInstance(row: Selectable<InstancesTable>): Instance {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    kind: row.kind as InstanceKind,
    status: row.status as InstanceStatus,
    statusReason: row.status_reason,
    phoneNumber: row.phone_number,
    lastSeenAt: row.last_seen_at,
    metadata: row.metadata,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}
