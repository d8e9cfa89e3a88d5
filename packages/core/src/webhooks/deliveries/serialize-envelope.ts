import type { EventEnvelope } from '../../events/index.js';

/**
 * The exact body that is stored, signed and sent for an envelope: JSON with the keys in the contract's
 * order (event, event_id, api_version, instance_id, occurred_at, data) whatever order the object was built
 * in, no whitespace. `data` is serialised by JSON.stringify as given (Dates become ISO strings, undefined
 * members are dropped). Serialise once and keep the string: the signature covers these bytes.
 */
export function serializeEnvelope(envelope: EventEnvelope): string {
  const ordered: EventEnvelope = {
    event: envelope.event,
    event_id: envelope.event_id,
    api_version: envelope.api_version,
    instance_id: envelope.instance_id,
    occurred_at: envelope.occurred_at,
    data: envelope.data,
  };
  return JSON.stringify(ordered);
}
