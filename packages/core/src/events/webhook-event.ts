import type { EventEnvelope } from './event-envelope.js';
import type { EventName } from './event-names.js';
import type { EventPayloads } from './event-payload-schemas.js';

/**
 * An event as a webhook receiver or SSE client gets it: the envelope with `data` typed by `event`, so
 * narrowing on `event` types the payload.
 */
export type WebhookEvent = {
  [N in EventName]: Omit<EventEnvelope, 'event' | 'data'> & { readonly event: N; readonly data: EventPayloads[N] };
}[EventName];
