import type { Message } from './message.js';
import type { DomainEvent, EventName } from '../events/index.js';

/**
 * A `message.*` event about one of our messages. Every one carries the same keys: `message_id` (the id the
 * 202 returned: the integrator's correlation key), `whatsapp_id` (null until WhatsApp assigned one),
 * `client_ref`, `to` (the recipient JID) and `status`; `extra` adds the event's own (error, participant).
 */
export function messageEvent(
  name: Extract<EventName, `message.${string}`>,
  message: Message,
  occurredAt: Date,
  extra: Record<string, unknown> = {},
): DomainEvent {
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
    },
  };
}
