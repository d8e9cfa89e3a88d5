/*
 * Reading `message.*` events out of what a loopback webhook receiver got: the envelopes,
 * parsed from the exact bytes, one per distinct `event_id` (delivery is at least once, so a consumer
 * deduplicates on it, and so do these tests).
 */
import type { ReceivedWebhook } from './webhook-receiver.js';

export interface EventEnvelope<Data = Record<string, unknown>> {
  readonly event: string;
  readonly event_id: string;
  readonly api_version: string;
  readonly instance_id: string | null;
  readonly occurred_at: string;
  readonly data: Data;
}

/** The data every `message.*` event about one of our messages carries. */
export interface MessageEventData {
  readonly message_id: string;
  readonly whatsapp_id: string | null;
  readonly client_ref: string | null;
  readonly to: string;
  readonly status: string;
}

/** Envelopes in arrival order, first copy of each event id only, optionally only events named `name`. */
export function eventsOf<Data = Record<string, unknown>>(received: readonly ReceivedWebhook[], name?: string): EventEnvelope<Data>[] {
  const seen = new Set<string>();
  const events: EventEnvelope<Data>[] = [];
  for (const request of received) {
    const envelope = JSON.parse(request.body) as EventEnvelope<Data>;
    if (seen.has(envelope.event_id)) continue;
    seen.add(envelope.event_id);
    if (name === undefined || envelope.event === name) events.push(envelope);
  }
  return events;
}

/** The `message.*` events about one message, in arrival order, deduplicated by event id. */
export function eventsOfMessage(received: readonly ReceivedWebhook[], messageId: string): EventEnvelope<MessageEventData>[] {
  return eventsOf<MessageEventData>(received).filter((e) => e.event.startsWith('message.') && e.data.message_id === messageId);
}
