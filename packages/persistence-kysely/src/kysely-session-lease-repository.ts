/*
 * Session leases on Postgres (see migrations/0040_session_leases.sql). A grant is one upsert whose WHERE
 * admits only a free, expired or own lease, so two nodes racing for one instance cannot both win: the
 * second waits on the row lock and then finds it held. `holds` reads the row FOR SHARE: inside a
 * transaction that keeps any takeover (an UPDATE of the row) waiting until the transaction ends, so a
 * write guarded by it cannot commit after another node took over.
 *
 * Fenced writes on a hot path (a message's `markSent` and `markStatus`, an instance's `updateStatus`) do
 * not call `holds` first (one round trip fewer each): they read the same row the same way inside their
 * own statement (`heldLease` in kysely-lease-fence.ts, as a CTE named `lease`), and write only if it
 * returned a row. The safety argument is unchanged:
 * - The read is `SELECT … FOR SHARE` of the lease row under the fence's node, epoch and expiry, exactly as
 *   in `holds`. Its lock belongs to the transaction, not to the statement, so it is held until the
 *   enclosing transaction commits or rolls back (outside one, until the statement's own commit, which is
 *   also the write's). A takeover or a renewal (an UPDATE of that row) waits until then, so the write
 *   cannot commit after another node took over.
 * - A takeover that committed first is seen: FOR SHARE waits for, then re-reads, the newest row version
 *   (READ COMMITTED re-check), whose epoch or node no longer match, so the CTE is empty and the write's
 *   WHERE (`EXISTS (SELECT 1 FROM lease)`) refuses it. The statement then reports the fence stale.
 * - The write cannot happen without the lock: its WHERE requires the CTE's row, so reading it (and
 *   locking the lease) comes first. Postgres runs a SELECT CTE only when something reads it, so where
 *   the write may find no row at all (a lost claim, an unknown WhatsApp id) the statement's result reads
 *   the CTE too, to tell a stale fence from a missing row; a CTE read twice runs once, so both agree.
 */
import { RESUMABLE_STATUSES, type SessionLease, type SessionLeaseRepository, type StoredLease } from '@whatisup/core';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, SessionLeasesTable } from './database.js';
import { toInstance } from './kysely-instance-repository.js';
import { heldLease } from './kysely-lease-fence.js';

export function createKyselySessionLeaseRepository(db: Kysely<Database>): SessionLeaseRepository {
  return {
    async acquire(instanceId, nodeId, { at, until }) {
      const row = await db
        .insertInto('session_leases')
        .values({ instance_id: instanceId, node_id: nodeId, epoch: 1, expires_at: until })
        .onConflict((oc) =>
          oc
            .column('instance_id')
            .doUpdateSet({
              node_id: nodeId,
              // A renewal keeps the epoch; anything else is a takeover.
              epoch: sql<number>`CASE WHEN session_leases.node_id = ${nodeId} AND session_leases.expires_at > ${at}
                THEN session_leases.epoch ELSE session_leases.epoch + 1 END`,
              expires_at: until,
            })
            .where((eb) =>
              eb.or([
                eb('session_leases.node_id', 'is', null),
                eb('session_leases.expires_at', '<=', at),
                eb('session_leases.node_id', '=', nodeId),
              ]),
            ),
        )
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : granted(row);
    },
    async renewAll(nodeId, { at, until }) {
      const rows = await db
        .updateTable('session_leases')
        .set({ expires_at: until })
        .where('node_id', '=', nodeId)
        .where('expires_at', '>', at)
        .returningAll()
        .execute();
      return rows.map(granted).sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
    },
    async release(fence, at) {
      const result = await db
        .updateTable('session_leases')
        .set({ node_id: null, expires_at: at })
        .where('instance_id', '=', fence.instanceId)
        .where('node_id', '=', fence.nodeId)
        .where('epoch', '=', fence.epoch)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async releaseAll(nodeId, at) {
      const result = await db
        .updateTable('session_leases')
        .set({ node_id: null, expires_at: at })
        .where('node_id', '=', nodeId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async holds(fence, at) {
      return (await heldLease(db, { fence, at }).executeTakeFirst()) !== undefined;
    },
    async find(instanceId) {
      const row = await db.selectFrom('session_leases').selectAll().where('instance_id', '=', instanceId).executeTakeFirst();
      return row === undefined ? null : stored(row);
    },
    async listCandidates(at) {
      const rows = await db
        .selectFrom('instances as i')
        .leftJoin('session_leases as l', 'l.instance_id', 'i.id')
        .selectAll('i')
        .select(['l.node_id as lease_node_id', 'l.epoch as lease_epoch', 'l.expires_at as lease_expires_at'])
        .where('i.deleted_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('i.status', 'in', RESUMABLE_STATUSES),
            eb.and([eb('l.node_id', 'is not', null), eb('l.expires_at', '>', at)]),
          ]),
        )
        .orderBy('i.id', 'asc')
        .execute();
      return rows.map(({ lease_node_id, lease_epoch, lease_expires_at, ...instance }) => ({
        instance: toInstance(instance),
        lease:
          lease_epoch === null || lease_expires_at === null
            ? null
            : { instanceId: instance.id, nodeId: lease_node_id, epoch: lease_epoch, expiresAt: lease_expires_at },
      }));
    },
  };
}

function stored(row: Selectable<SessionLeasesTable>): StoredLease {
  return { instanceId: row.instance_id, nodeId: row.node_id, epoch: row.epoch, expiresAt: row.expires_at };
}

function granted(row: Selectable<SessionLeasesTable>): SessionLease {
  return { ...stored(row), nodeId: row.node_id! };
}
