/* The node registry on Postgres (the `nodes` table of migrations/0040_session_leases.sql). */
import type { ClusterNode, NodeRegistry } from '@whatisup/core';
import type { Kysely, Selectable } from 'kysely';
import type { Database, NodesTable } from './database.js';

export function createKyselyNodeRegistry(db: Kysely<Database>): NodeRegistry {
  return {
    async register(node) {
      const row = {
        id: node.id,
        address: node.address,
        max_sessions: node.maxSessions,
        started_at: node.startedAt,
        heartbeat_at: node.heartbeatAt,
      };
      await db
        .insertInto('nodes')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ address: row.address, max_sessions: row.max_sessions, heartbeat_at: row.heartbeat_at }))
        .execute();
    },
    async heartbeat(nodeId, at) {
      const result = await db.updateTable('nodes').set({ heartbeat_at: at }).where('id', '=', nodeId).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async listLive(since) {
      const rows = await db.selectFrom('nodes').selectAll().where('heartbeat_at', '>', since).orderBy('id', 'asc').execute();
      return rows.map(toNode);
    },
    async deregister(nodeId) {
      await db.deleteFrom('nodes').where('id', '=', nodeId).execute();
    },
  };
}

function toNode(row: Selectable<NodesTable>): ClusterNode {
  return { id: row.id, address: row.address, maxSessions: row.max_sessions, startedAt: row.started_at, heartbeatAt: row.heartbeat_at };
}
