import type { EventName } from './event-names.js';

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

/** An event as the domain raises it, before it gets its id and envelope. */
export interface DomainEvent {
  readonly customerId: string;
  readonly instanceId: string | null;
  readonly name: EventName;
  readonly data: Record<string, unknown>;
  readonly occurredAt?: Date;
}

/** An envelope plus whom it belongs to, as published to in-process subscribers (SSE). */
export interface PublishedEvent {
  readonly customerId: string;
  readonly envelope: EventEnvelope;
  /** The exact serialised envelope (what webhooks sign and SSE sends). */
  readonly body: string;
}
