import { DELETED_STATUS, toPage, type Instance, type InstanceKind, type InstanceRepository, type InstanceStatus } from '@whatisup/core';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, InstancesTable } from './database.js';
import { heldLease, LEASE_HELD } from './kysely-lease-fence.js';
import { withDatabaseErrors } from './translate-database-error.js';
import { jsonParameter } from './json-parameter.js';

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
      const row = await live(customerId).where('id', '=', id).executeTakeFirst();
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
