import type { EventName } from '../events/event-names.js';

/** What a webhook endpoint subscribes to: event names or `*` (every event). */
export type EventSelector = EventName | '*';

export interface EndpointSubscription {
  readonly events: readonly string[];
  /** Null: every instance of the customer. */
  readonly instanceId: string | null;
}

export interface MatchableEvent {
  readonly name: EventName;
  readonly instanceId: string | null;
}

/**
 * Whether an endpoint wants an event: its events list holds `*` or the exact name, and it is bound to no
 * instance or to the event's instance (an event of no instance reaches unbound endpoints only). Whether
 * the endpoint is enabled and belongs to the event's customer is the caller's query, not this function's.
 */
export function endpointMatches(endpoint: EndpointSubscription, event: MatchableEvent): boolean {
  if (endpoint.instanceId !== null && endpoint.instanceId !== event.instanceId) return false;
  return endpoint.events.includes('*') || endpoint.events.includes(event.name);
}
