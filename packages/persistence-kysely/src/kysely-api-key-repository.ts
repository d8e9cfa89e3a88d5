import { DomainError, toPage, type ApiKey, type ApiKeyRepository, type StoredApiKey } from '@whatisup/core';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ApiKeysTable, Database } from './database.js';
import { withDatabaseErrors } from './translate-database-error.js';

/** Every method but findByPrefix and touch is filtered by customer: those two find the tenant first. */
export function createKyselyApiKeyRepository(db: Kysely<Database>): ApiKeyRepository {
  const owned = (customerId: string) => db.selectFrom('api_keys').selectAll().where('customer_id', '=', customerId);

  return withDatabaseErrors<ApiKeyRepository>({
    async create(key) {
      const values = {
        id: key.id,
        customer_id: key.customerId,
        instance_id: key.instanceId,
        name: key.name,
        parent_key_id: key.parentKeyId,
        prefix: key.prefix,
        secret_hash: key.secretHash,
        created_at: key.createdAt,
        last_used_at: key.lastUsedAt,
        expires_at: key.expiresAt,
        revoked_at: key.revokedAt,
      };
      if (key.parentKeyId === null) {
        return toApiKey(await db.insertInto('api_keys').values(values).returningAll().executeTakeFirstOrThrow());
      }
      // FOR SHARE holds off a revocation of the parent until this transaction ends, so the revocation's
      // cascade sees this key; a parent revoked first fails the WHERE (re-checked after the wait).
      const parent = await db
        .selectFrom('api_keys')
        .select('id')
        .where('id', '=', key.parentKeyId)
        .where('customer_id', '=', key.customerId)
        .where('revoked_at', 'is', null)
        .forShare()
        .executeTakeFirst();
      if (parent === undefined) throw new DomainError('forbidden', 'The key creating this key has been revoked.');
      return toApiKey(await db.insertInto('api_keys').values(values).returningAll().executeTakeFirstOrThrow());
    },
    async findByPrefix(prefix) {
      const row = await db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
      return row ? toStoredApiKey(row) : null;
    },
    async findById(customerId, id) {
      const row = await owned(customerId).where('id', '=', id).executeTakeFirst();
      return row ? toApiKey(row) : null;
    },
    async list(customerId, page, filter = {}) {
      let query = owned(customerId);
      if (filter.instanceId !== undefined) query = query.where('instance_id', '=', filter.instanceId);
      if (page.cursor) query = query.where('id', '<', page.cursor);
      const rows = await query.orderBy('id', 'desc').limit(page.limit + 1).execute();
      return toPage(rows.map(toApiKey), page.limit);
    },
    async revoke(customerId, id, at) {
      const row = await db
        .updateTable('api_keys')
        .set({ revoked_at: sql<Date>`coalesce(revoked_at, ${at})` })
        .where('customer_id', '=', customerId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? toApiKey(row) : null;
    },
    async revokeDescendants(customerId, id, at) {
      const { rows } = await sql<Selectable<ApiKeysTable>>`
        WITH RECURSIVE descendants AS (
          SELECT id FROM api_keys WHERE parent_key_id = ${id} AND customer_id = ${customerId}
          UNION
          SELECT k.id FROM api_keys k JOIN descendants d ON k.parent_key_id = d.id
        )
        UPDATE api_keys SET revoked_at = ${at}
        WHERE id IN (SELECT id FROM descendants) AND customer_id = ${customerId} AND revoked_at IS NULL
        RETURNING *
      `.execute(db);
      return rows.map(toApiKey).sort((a, b) => a.id.localeCompare(b.id));
    },
    async revokeForInstance(customerId, instanceId, at) {
      const rows = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('customer_id', '=', customerId)
        .where('instance_id', '=', instanceId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute();
      return rows.map((row) => row.id).sort();
    },
    async touch(lastUsed) {
      if (lastUsed.size === 0) return;
      const ids = [...lastUsed.keys()];
      const times = ids.map((id) => lastUsed.get(id)!.toISOString());
      // One statement for the whole batch; last_used_at only ever moves forward.
      await sql`
        UPDATE api_keys AS k SET last_used_at = v.at
        FROM unnest(${ids}::text[], ${times}::timestamptz[]) AS v(id, at)
        WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.at)
      `.execute(db);
    },
  });
}

function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    customerId: row.customer_id,
    instanceId: row.instance_id,
    name: row.name,
    parentKeyId: row.parent_key_id,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

function toStoredApiKey(row: Selectable<ApiKeysTable>): StoredApiKey {
  return { ...toApiKey(row), secretHash: row.secret_hash };
}
