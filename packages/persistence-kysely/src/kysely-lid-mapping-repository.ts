/*
 * LID mappings (table `contact_lids`): the first mapping of a LID per customer wins. `INSERT ... ON CONFLICT
 * DO NOTHING RETURNING` tells whether this call wrote the row, so of concurrent records exactly one reports a
 * new mapping (and its caller alone records `contact.resolved`), and a caller's enclosing transaction stays
 * usable.
 */
import type { LidMapping, LidMappingRepository } from '@whatisup/core';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { statementTemplate } from './statement-template.js';

/** A LID's first mapping, recorded for every message from a LID: compiled once (statement-template.ts). */
const recordStatement = statementTemplate(
  () => 'lid mapping',
  (db, v: { readonly customerId: string; readonly mapping: LidMapping }) =>
    db
      .insertInto('contact_lids')
      .values({
        customer_id: v.customerId,
        lid: v.mapping.lid,
        phone_number: v.mapping.phoneNumber,
        instance_id: v.mapping.instanceId,
        learned_at: v.mapping.learnedAt,
      })
      .onConflict((oc) => oc.columns(['customer_id', 'lid']).doNothing())
      .returning('lid'),
);

export function createKyselyLidMappingRepository(db: Kysely<Database>): LidMappingRepository {
  return {
    async record(customerId, mapping) {
      const { rows } = await recordStatement.execute(db, { customerId, mapping }, undefined);
      return rows.length > 0;
    },
    async phoneNumberOf(customerId, lid) {
      const row = await db
        .selectFrom('contact_lids')
        .select('phone_number')
        .where('customer_id', '=', customerId)
        .where('lid', '=', lid)
        .executeTakeFirst();
      return row?.phone_number ?? null;
    },
    async lidOf(customerId, phoneNumber) {
      const row = await db
        .selectFrom('contact_lids')
        .select('lid')
        .where('customer_id', '=', customerId)
        .where('phone_number', '=', phoneNumber)
        .orderBy('learned_at', 'asc')
        .orderBy('lid', 'asc')
        .limit(1)
        .executeTakeFirst();
      return row?.lid ?? null;
    },
  };
}
