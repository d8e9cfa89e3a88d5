/*
 * Audit events on the wire: the event as the audit list shows it and the list's filters. The HTTP edge
 * validates and documents with these schemas.
 */
import * as v from 'valibot';
import { Timestamp, idSchema, type Actor, type AuditEvent } from '../shared/index.js';

const ActorJson = v.variant('type', [
  v.object({ type: v.literal('api_key'), key_id: v.string() }),
  v.object({ type: v.literal('cli') }),
  v.object({ type: v.literal('system') }),
]);

export const AuditEventJson = v.object({
  id: idSchema('aud', 'Audit event id.'),
  actor: ActorJson,
  action: v.pipe(v.string(), v.description('Dotted verb, e.g. `instance.created`.')),
  target_type: v.string(),
  target_id: v.nullable(v.string()),
  instance_id: v.nullable(v.string()),
  data: v.record(v.string(), v.unknown()),
  occurred_at: Timestamp,
});

export type AuditEventJson = v.InferInput<typeof AuditEventJson>;

/** The filters of the audit list; the HTTP edge adds its page query (`limit`, `cursor`). */
export const auditEventFilterEntries = {
  instance_id: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description('Only this instance.'))),
};

function toActorJson(actor: Actor): v.InferInput<typeof ActorJson> {
  return actor.type === 'api_key' ? { type: 'api_key', key_id: actor.keyId } : { type: actor.type };
}

/** The one domain → JSON mapping of an audit event. */
export function toAuditEventJson(event: AuditEvent): AuditEventJson {
  return {
    id: event.id,
    actor: toActorJson(event.actor),
    action: event.action,
    target_type: event.targetType,
    target_id: event.targetId,
    instance_id: event.instanceId,
    data: event.data,
    occurred_at: event.occurredAt.toISOString(),
  };
}
