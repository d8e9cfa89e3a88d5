import type { Message } from './message.js';
import type { DomainEventOf, EventPayloads } from '../events/index.js';

type OutboundMessageEventName = 'message.sent' | 'message.delivered' | 'message.read' | 'message.played' | 'message.failed';

/** The keys an event adds to the common ones: `error` for `message.failed`, `participant` for a group receipt. */
type Extra<N extends OutboundMessageEventName> = Omit<Extract<EventPayloads[N], { status: unknown }>, 'message_id' | 'whatsapp_id' | 'client_ref' | 'to' | 'status'>;
type ExtraArgs<N extends OutboundMessageEventName> = N extends 'message.failed' ? [extra: Extra<N>] : [extra?: Extra<N>];

/**
 * A `message.*` event about one of our messages. Every one carries the same keys: `message_id` (the id the
 * 202 returned: the integrator's correlation key), `whatsapp_id` (null until WhatsApp assigned one),
 * `client_ref`, `to` (the recipient JID) and `status`; `extra` adds the event's own (error, participant).
 */
export function messageEvent<N extends OutboundMessageEventName>(
  name: N,
  message: Message,
  occurredAt: Date,
  ...[extra]: ExtraArgs<N>
): DomainEventOf<N> {
  return {
    customerId: message.customerId,
    instanceId: message.instanceId,
    name,
    occurredAt,
    data: {
      message_id: message.id,
      whatsapp_id: message.whatsappId,
      client_ref: message.clientRef,
      to: message.recipient,
      status: message.status,
      ...extra,
    } as EventPayloads[N],
  };
}
