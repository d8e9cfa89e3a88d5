/*
 * The id of a delivery for a matching endpoint beyond the ids the recorder drew (only when the endpoint limits
 * were lowered below what a customer has). It is derived, not drawn, so the statement that writes an event's
 * deliveries can make it itself: every matching endpoint gets its delivery in that one statement, atomically
 * with the write that carries it, and none is left to a second statement that a crash could skip. Unique per
 * (event, endpoint), which the deliveries table requires anyway; a well-formed delivery id made at the event's
 * time plus 1 ms, whose last 16 digits are hexadecimal (a subset of the id alphabet) from MD5 of the pair.
 */
import { createHash } from 'node:crypto';
import { idTimePrefix } from '../../shared/index.js';

/** Everything before the digest: computed in the application, so both adapters use the same. */
export function surplusDeliveryIdPrefix(at: Date): string {
  return idTimePrefix('delivery', at.getTime() + 1);
}

/** The id itself, as the Postgres adapter computes it: prefix || upper(substr(md5(event_id || endpoint_id), 1, 16)). */
export function surplusDeliveryId(at: Date, eventId: string, endpointId: string): string {
  const digest = createHash('md5').update(eventId + endpointId).digest('hex').slice(0, 16).toUpperCase();
  return surplusDeliveryIdPrefix(at) + digest;
}
