import type { EventName } from '../../events/index.js';

/** The families of events (`message`, `instance`, ...): `message.*` subscribes to every `message.` event. */
export type EventFamilySelector = `${EventName extends `${infer Family}.${string}` ? Family : never}.*`;

/** What a webhook endpoint subscribes to: an event name, a family (`message.*`) or `*` (every event). */
export type EventSelector = EventName | EventFamilySelector | '*';

/** Every selector that subscribes to `name`: the name itself, its family wildcard and `*`. */
export function selectorsFor(name: EventName): EventSelector[] {
  const family = name.slice(0, name.indexOf('.'));
  return [name, `${family}.*` as EventFamilySelector, '*'];
}

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
 * Whether an endpoint wants an event: its events list holds `*`, the event's family (`message.*`) or the exact
 * name, and it is bound to no
 * instance or to the event's instance (an event of no instance reaches unbound endpoints only). Whether
 * the endpoint is enabled and belongs to the event's customer is the caller's query, not this function's.
 */
export function endpointMatches(endpoint: EndpointSubscription, event: MatchableEvent): boolean {
  if (endpoint.instanceId !== null && endpoint.instanceId !== event.instanceId) return false;
  return selectorsFor(event.name).some((selector) => endpoint.events.includes(selector));
}
