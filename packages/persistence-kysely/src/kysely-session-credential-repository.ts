/*
 * WhatsApp credentials on Postgres (migrations/0041_session_credentials.sql). A fenced write checks the
 * instance's lease FOR SHARE in the same transaction as its upserts and deletes (see
 * kysely-session-lease-repository.ts), so a node that lost the instance writes nothing.
 */
import type { SessionCredentialRepository, StoredCredential } from '@whatisup/core';
import type { Kysely, Selectable } from 'kysely';
import type { Database, SessionCredentialsTable } from './database.js';
import { createKyselySessionLeaseRepository } from './kysely-session-lease-repository.js';

export function createKyselySessionCredentialRepository(db: Kysely<Database>): SessionCredentialRepository {
  return {
    async list(instanceId) {
      const rows = await db.selectFrom('session_credentials').selectAll().where('instance_id', '=', instanceId).orderBy('name').execute();
      return rows.map(toEntry);
    },
    async find(instanceId, name) {
      const row = await db.selectFrom('session_credentials').selectAll().where('instance_id', '=', instanceId).where('name', '=', name).executeTakeFirst();
      return row === undefined ? null : toEntry(row);
    },
    async write(instanceId, changes, fence, at) {
      return db.transaction().execute(async (trx) => {
        if (fence !== null && !(await createKyselySessionLeaseRepository(trx).holds(fence, at))) return false;
        const upserts = changes.filter((change) => change.sealed !== null);
        const deletes = changes.filter((change) => change.sealed === null).map((change) => change.name);
        if (upserts.length > 0) {
          await trx
            .insertInto('session_credentials')
            .values(upserts.map(({ name, sealed }) => ({ instance_id: instanceId, name, key_id: sealed!.keyId, sealed: sealed!.ciphertext, updated_at: at })))
            .onConflict((oc) =>
              oc.columns(['instance_id', 'name']).doUpdateSet((eb) => ({
                key_id: eb.ref('excluded.key_id'),
                sealed: eb.ref('excluded.sealed'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
        }
        if (deletes.length > 0) {
          await trx.deleteFrom('session_credentials').where('instance_id', '=', instanceId).where('name', 'in', deletes).execute();
        }
        return true;
      });
    },
    async wipe(instanceId) {
      await db.deleteFrom('session_credentials').where('instance_id', '=', instanceId).execute();
    },
    async instancesWith(name) {
      const rows = await db.selectFrom('session_credentials').select('instance_id').where('name', '=', name).orderBy('instance_id').execute();
      return rows.map((row) => row.instance_id);
    },
    async listAll(after, limit) {
      let query = db.selectFrom('session_credentials').selectAll().orderBy('instance_id').orderBy('name').limit(limit);
      if (after !== null) {
        query = query.where((eb) =>
          eb.or([eb('instance_id', '>', after.instanceId), eb.and([eb('instance_id', '=', after.instanceId), eb('name', '>', after.name)])]),
        );
      }
      return (await query.execute()).map(toEntry);
    },
    async replace(entry, sealed) {
      const result = await db
        .updateTable('session_credentials')
        .set({ key_id: sealed.keyId, sealed: sealed.ciphertext })
        .where('instance_id', '=', entry.instanceId)
        .where('name', '=', entry.name)
        .where('key_id', '=', entry.sealed.keyId)
        .where('sealed', '=', entry.sealed.ciphertext)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}

function toEntry(row: Selectable<SessionCredentialsTable>): StoredCredential {
  return { instanceId: row.instance_id, name: row.name, sealed: { keyId: row.key_id, ciphertext: row.sealed } };
}
