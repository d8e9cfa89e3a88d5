/*
 * Group creation idempotency keys (table `group_creations`, see core's group-creation-repository.ts). A claim is
 * one `INSERT … ON CONFLICT DO UPDATE … WHERE pending and expired RETURNING`: of concurrent claims of one key
 * exactly one gets a row back, and the others read the row as it stands.
 */
import type { GroupCreationRecord, GroupCreationRepository } from '@whatisup/core';
import type { Kysely, Selectable } from 'kysely';
import type { Database, GroupCreationsTable } from './database.js';

function toRecord(row: Selectable<GroupCreationsTable>): GroupCreationRecord {
  return {
    customerId: row.customer_id,
    idempotencyKey: row.idempotency_key,
    instanceId: row.instance_id,
    requestHash: row.request_hash,
    status: row.status,
    response: row.response,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export function createKyselyGroupCreationRepository(db: Kysely<Database>): GroupCreationRepository {
  return {
    async claim(record) {
      const claimed = await db
        .insertInto('group_creations')
        .values({
          customer_id: record.customerId,
          idempotency_key: record.idempotencyKey,
          instance_id: record.instanceId,
          request_hash: record.requestHash,
          status: 'pending',
          response: null,
          created_at: record.createdAt,
          expires_at: record.expiresAt,
        })
        .onConflict((oc) =>
          oc
            .columns(['customer_id', 'idempotency_key'])
            .doUpdateSet((eb) => ({
              instance_id: eb.ref('excluded.instance_id'),
              request_hash: eb.ref('excluded.request_hash'),
              created_at: eb.ref('excluded.created_at'),
              expires_at: eb.ref('excluded.expires_at'),
            }))
            .where('group_creations.status', '=', 'pending')
            .where('group_creations.expires_at', '<=', record.createdAt),
        )
        .returning('idempotency_key')
        .executeTakeFirst();
      if (claimed !== undefined) return { outcome: 'claimed' };
      const row = await db
        .selectFrom('group_creations')
        .selectAll()
        .where('customer_id', '=', record.customerId)
        .where('idempotency_key', '=', record.idempotencyKey)
        .executeTakeFirstOrThrow();
      return { outcome: 'existing', record: toRecord(row) };
    },
    async complete(customerId, idempotencyKey, response) {
      await db
        .updateTable('group_creations')
        .set({ status: 'done', response: JSON.stringify(response) })
        .where('customer_id', '=', customerId)
        .where('idempotency_key', '=', idempotencyKey)
        .execute();
    },
    async release(customerId, idempotencyKey) {
      await db
        .deleteFrom('group_creations')
        .where('customer_id', '=', customerId)
        .where('idempotency_key', '=', idempotencyKey)
        .where('status', '=', 'pending')
        .execute();
    },
  };
}
