/*
 * The `data` of every event, by name: one schema each, the contract webhook receivers and SSE clients
 * code against. Emitters build their payloads as these types (DomainEvent is keyed by name), so a wrong
 * payload fails the typecheck; the OpenAPI document shows the schemas as components.
 */
import * as v from 'valibot';
import type { EventName } from './event-names.js';
import { InboundMessagePayloadSchema } from './inbound-message-payload-schema.js';
import { ChatPayloadSchema } from './chat-payload-schema.js';

/** The keys every `message.*` event about one of our messages carries. */
const messageEntries = {
  message_id: v.pipe(v.string(), v.description('The `msg_` id the 202 returned: your correlation key.')),
  whatsapp_id: v.pipe(v.nullable(v.string()), v.description("WhatsApp's id; null until WhatsApp assigned one.")),
  client_ref: v.nullable(v.string()),
  to: v.pipe(v.string(), v.description('The recipient JID.')),
  status: v.picklist(['queued', 'sent', 'delivered', 'read', 'failed']),
};

export const MessageStatusPayloadSchema = v.object(messageEntries);

/** A receipt from one group participant names them. */
const receiptPayload = v.object({ ...messageEntries, participant: v.optional(v.string()) });

/** A message sent from the phone itself: the inbound shape, with `from_me` and the outbound keys. */
export const OwnMessageSentPayloadSchema = v.object({
  ...v.omit(InboundMessagePayloadSchema, ['from']).entries,
  whatsapp_id: v.string(),
  client_ref: v.null(),
  to: v.string(),
  status: v.literal('sent'),
  from_me: v.literal(true),
});

export const EVENT_PAYLOAD_SCHEMAS = {
  'qr.updated': v.object({ qr: v.string(), png_data_url: v.pipe(v.string(), v.description('The QR as a PNG data URL.')) }),
  'instance.connected': v.object({ phone_number: v.nullable(v.string()) }),
  'instance.disconnected': v.object({ reason: v.nullable(v.string()) }),
  'message.received': InboundMessagePayloadSchema,
  'message.sent': v.union([MessageStatusPayloadSchema, OwnMessageSentPayloadSchema]),
  'message.delivered': receiptPayload,
  'message.read': receiptPayload,
  'message.failed': v.object({ ...messageEntries, error: v.object({ code: v.string(), message: v.string() }) }),
  'message.edited': v.object({
    message_id: v.pipe(v.nullable(v.string()), v.description('Our `msg_` id when the instance sent it through the API; else null.')),
    whatsapp_id: v.pipe(v.string(), v.description("WhatsApp's id of the edited message.")),
    chat_id: v.string(),
    from_me: v.boolean(),
    text: v.pipe(v.string(), v.description('The new text.')),
    edited_at: v.string(),
  }),
  'message.revoked': v.object({
    message_id: v.pipe(v.nullable(v.string()), v.description('Our `msg_` id when the instance sent it through the API; else null.')),
    whatsapp_id: v.pipe(v.string(), v.description("WhatsApp's id of the deleted message.")),
    chat_id: v.string(),
    from_me: v.boolean(),
    revoked_at: v.string(),
  }),
  'action.failed': v.object({
    action_id: v.pipe(v.string(), v.description('The `act_` id the 202 returned.')),
    type: v.pipe(v.string(), v.description('What the action was: `block`, `unblock`, ...')),
    target: v.pipe(v.string(), v.description('The JID the action was about.')),
    error: v.object({ code: v.string(), message: v.string() }),
  }),
  'contact.resolved': v.object({
    lid: v.pipe(v.string(), v.description('The LID JID (`<digits>@lid`).')),
    phone_number: v.pipe(v.string(), v.description('The phone number behind it (digits, no `+`).')),
    jid: v.pipe(v.string(), v.description('The phone JID (`<digits>@s.whatsapp.net`).')),
  }),
  'presence.updated': v.object({
    chat_id: v.pipe(v.string(), v.description('The chat subscribed to (a person or a group).')),
    participant: v.pipe(v.string(), v.description('Whose presence: their phone number when known, else their LID.')),
    phone_number: v.nullable(v.string()),
    lid: v.nullable(v.string()),
    state: v.picklist(['available', 'unavailable', 'typing', 'recording', 'paused']),
    last_seen: v.pipe(v.nullable(v.string()), v.description('When they were last online, when WhatsApp tells it.')),
  }),
  'webhook.test': v.object({ endpoint_id: v.string(), message: v.string() }),
  'chat.updated': v.object({
    ...ChatPayloadSchema.entries,
    changed: v.pipe(
      v.array(v.picklist(['name', 'unread', 'muted_until', 'ephemeral_seconds'])),
      v.description('What changed. Archiving and pinning have events of their own.'),
    ),
  }),
  'chat.archived': v.pipe(ChatPayloadSchema, v.description('The chat was archived (`archived: true`) or unarchived.')),
  'chat.pinned': v.pipe(ChatPayloadSchema, v.description('The chat was pinned (`pinned: true`) or unpinned.')),
} satisfies Record<EventName, v.GenericSchema>;

/** The `data` of each event, by name. */
export type EventPayloads = { [N in EventName]: v.InferOutput<(typeof EVENT_PAYLOAD_SCHEMAS)[N]> };
