import type { Message } from './message.js';
import { randomUUID } from 'node:crypto';
import type { DomainEventOf, EventPayloads, EventPreparer } from '../events/index.js';
import type { MessageHole, ReceiptEvent } from './message-repository.js';

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
  message: Pick<Message, 'customerId' | 'instanceId' | 'id' | 'whatsappId' | 'clientRef' | 'recipient' | 'status'>,
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

/**
 * A receipt's event prepared before its write knows the message: the message's id, client_ref and
 * recipient are unique marks in the payload, cut out as holes that the write fills from the row it moved
 * (`fillPayload`), so the stored bytes are those `messageEvent` of the moved message would give.
 */
export function prepareReceiptEvent(
  events: EventPreparer,
  name: 'message.delivered' | 'message.read',
  known: Pick<Message, 'instanceId' | 'whatsappId'> & { readonly status: 'delivered' | 'read' },
  occurredAt: Date,
  extra: Extra<'message.delivered'> = {},
): ReceiptEvent {
  const nonce = randomUUID();
  const marks: Record<MessageHole, string> = { id: `${nonce}:id`, clientRef: `${nonce}:client_ref`, recipient: `${nonce}:to` };
  const placeholder = { ...known, customerId: '', id: marks.id, clientRef: marks.clientRef, recipient: marks.recipient };
  const prepared = events.prepare(messageEvent(name, placeholder, occurredAt, extra));
  const { payload } = prepared.fanOut;
  const found = (Object.keys(marks) as MessageHole[])
    .map((hole) => ({ hole, quoted: JSON.stringify(marks[hole]), index: payload.indexOf(JSON.stringify(marks[hole])) }))
    .sort((a, b) => a.index - b.index);
  const parts: string[] = [];
  let from = 0;
  for (const { quoted, index } of found) {
    parts.push(payload.slice(from, index));
    from = index + quoted.length;
  }
  parts.push(payload.slice(from));
  return { prepared, parts, holes: found.map(({ hole }) => hole) };
}
