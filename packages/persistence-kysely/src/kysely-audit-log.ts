import { newId, systemClock, toPage, type Actor, type AuditEvent, type AuditLog, type Clock, type NewAuditEvent } from '@whatisup/core';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditEventsTable, Database } from './database.js';
import { withDatabaseErrors } from './translate-database-error.js';
import { jsonParameter } from './json-parameter.js';

export interface KyselyAuditLogOptions {
  /** Stamps events appended without `occurredAt`. */
  readonly clock?: Clock;
}

/**
 * Append-only; the database rejects UPDATE, DELETE and TRUNCATE too. An acting API key is stored twice:
 * as a foreign key (cleared if the key row is ever deleted) and as plain text that outlives it.
 */
export function createKyselyAuditLog(db: Kysely<Database>, options: KyselyAuditLogOptions = {}): AuditLog {
  const clock = options.clock ?? systemClock;
  return withDatabaseErrors<AuditLog>({
    async append(event) {
      const row = await db
        .insertInto('audit_events')
        .values(auditEventRow(event, event.occurredAt ?? clock.now()))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAuditEvent(row);
    },
    async list(customerId, page, filter = {}) {
      let query = db.selectFrom('audit_events').selectAll().where('customer_id', '=', customerId);
      if (filter.instanceId !== undefined) query = query.where('instance_id', '=', filter.instanceId);
      if (page.cursor) query = query.where('id', '<', page.cursor);
      const rows = await query.orderBy('id', 'desc').limit(page.limit + 1).execute();
      return toPage(rows.map(toAuditEvent), page.limit);
    },
  });
}

/** The row `append` inserts (also for repositories that write an audit event with their own rows). */
export function auditEventRow(event: NewAuditEvent, occurredAt: Date): Insertable<AuditEventsTable> {
  const keyId = event.actor.type === 'api_key' ? event.actor.keyId : null;
  return {
    id: newId('audit', occurredAt.getTime()),
    customer_id: event.customerId,
    actor_type: event.actor.type,
    actor_api_key_id: keyId,
    actor_id: keyId,
    action: event.action,
    target_type: event.targetType,
    target_id: event.targetId,
    instance_id: event.instanceId,
    data: jsonParameter(event.data, 'data'),
    occurred_at: occurredAt,
  };
}

function toAuditEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: row.id,
    customerId: row.customer_id,
    actor: toActor(row),
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    instanceId: row.instance_id,
    data: row.data,
    occurredAt: row.occurred_at,
  };
}

function toActor(row: Selectable<AuditEventsTable>): Actor {
  if (row.actor_type === 'api_key') {
    // The key's customer is the event's; once the customer is deleted no tenant can list the row anyway.
    return { type: 'api_key', keyId: row.actor_id ?? '', customerId: row.customer_id ?? '' };
  }
  return { type: row.actor_type === 'cli' ? 'cli' : 'system' };
}
