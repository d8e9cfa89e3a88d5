/* Instance settings (table `instance_settings`): one row per instance once changed, replaced on save. */
import type { InstanceSettings, InstanceSettingsRepository } from '@whatisup/core';
import type { Kysely, Selectable } from 'kysely';
import type { Database, InstanceSettingsTable } from './database.js';
import { statementTemplate } from './statement-template.js';

const toSettings = (row: Selectable<InstanceSettingsTable>): InstanceSettings => ({
  rejectCalls: row.reject_calls,
  callReplyText: row.call_reply_text,
  alwaysOnline: row.always_online,
  sendReadReceipts: row.send_read_receipts,
  updatedAt: row.updated_at,
});

/** An instance's settings, read for every inbound message and call: compiled once (statement-template.ts). */
const findStatement = statementTemplate(
  () => 'instance settings',
  (db, v: { readonly customerId: string; readonly instanceId: string }) =>
    db.selectFrom('instance_settings').selectAll().where('customer_id', '=', v.customerId).where('instance_id', '=', v.instanceId),
);

export function createKyselyInstanceSettingsRepository(db: Kysely<Database>): InstanceSettingsRepository {
  return {
    async find(customerId, instanceId) {
      const row = (await findStatement.execute(db, { customerId, instanceId }, undefined)).rows[0];
      return row === undefined ? null : toSettings(row);
    },
    async save(customerId, instanceId, settings) {
      const values = {
        reject_calls: settings.rejectCalls,
        call_reply_text: settings.callReplyText,
        always_online: settings.alwaysOnline,
        send_read_receipts: settings.sendReadReceipts,
        updated_at: settings.updatedAt,
      };
      const owned = await db
        .selectFrom('instances')
        .select('id')
        .where('id', '=', instanceId)
        .where('customer_id', '=', customerId)
        .executeTakeFirst();
      if (owned === undefined) throw new Error(`No instance ${instanceId} of customer ${customerId}.`);
      const row = await db
        .insertInto('instance_settings')
        .values({ instance_id: instanceId, customer_id: customerId, ...values })
        .onConflict((oc) => oc.column('instance_id').doUpdateSet(values).where('instance_settings.customer_id', '=', customerId))
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw new Error(`No instance ${instanceId} of customer ${customerId}.`);
      return toSettings(row);
    },
  };
}
