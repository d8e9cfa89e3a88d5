import type { EventName } from './event-names.js';
import type { EventPayloads } from './event-payload-schemas.js';

/**
 * The envelope every event travels in, identical for webhooks and SSE. Its JSON
 * serialisation (snake_case, in this key order) is the exact body that is stored, signed and sent.
 */
export interface EventEnvelope {
  readonly event: EventName;
  readonly event_id: string;
  readonly api_version: string;
  readonly instance_id: string | null;
  readonly occurred_at: string;
  readonly data: Record<string, unknown>;
}

/** An event named `N` as the domain raises it, before it gets its id and envelope. */
export interface DomainEventOf<N extends EventName> {
  readonly customerId: string;
  readonly instanceId: string | null;
  readonly name: N;
  readonly data: EventPayloads[N];
  readonly occurredAt?: Date;
}

/** An event as the domain raises it: `data` is typed by `name`. */
export type DomainEvent = { [N in EventName]: DomainEventOf<N> }[EventName];

/** An envelope plus whom it belongs to, as published to in-process subscribers (SSE). */
export interface PublishedEvent {
  readonly customerId: string;
  readonly envelope: EventEnvelope;
  /** The exact serialised envelope (what webhooks sign and SSE sends). */
  readonly body: string;
}
