import { newId, type Clock } from '../../shared/index.js';
import { API_VERSION, type DomainEvent, type EventEnvelope } from '../../events/index.js';

export interface BuildEnvelopeOptions {
  /** The event id shared by every delivery of this event; a fresh `evt_` id when omitted. */
  readonly eventId?: string;
  /** Stamps `occurred_at` when the event carries no `occurredAt`. */
  readonly clock: Clock;
}

/** The event envelope for a domain event (times in UTC ISO-8601 with milliseconds). */
export function buildEnvelope(event: DomainEvent, options: BuildEnvelopeOptions): EventEnvelope {
  const occurredAt = event.occurredAt ?? options.clock.now();
  return {
    event: event.name,
    event_id: options.eventId ?? newId('event', options.clock.now().getTime()),
    api_version: API_VERSION,
    instance_id: event.instanceId,
    occurred_at: occurredAt.toISOString(),
    data: event.data,
  };
}
