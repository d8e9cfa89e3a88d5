/*
 * The `data` of every event, by name: one schema each, the contract webhook receivers and SSE clients
 * code against. Emitters build their payloads as these types (DomainEvent is keyed by name), so a wrong
 * payload fails the typecheck; the OpenAPI document shows the schemas as components.
 */
import * as v from 'valibot';
import type { EventName } from './event-names.js';
import { InboundMessagePayloadSchema, PersonPayloadSchema } from './inbound-message-payload-schema.js';
import { changeEntries, MessageReactionPayloadSchema, PollVotePayloadSchema } from './message-change-payload-schemas.js';
import { GROUP_EVENT_PAYLOAD_SCHEMAS } from './group-event-payload-schemas.js';
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

/** A receipt from one group participant names them, by both addresses in `by`. */
const receiptPayload = v.object({
  ...messageEntries,
  participant: v.optional(v.pipe(v.string(), v.description('In a group: the participant, by phone number when known, else LID.'))),
  by: v.optional(v.pipe(PersonPayloadSchema, v.description('In a group: the participant by phone number and LID, as far as known.'))),
});

/** A message sent from the phone itself: the inbound shape, with `from_me` and the outbound keys. */
export const OwnMessageSentPayloadSchema = v.object({
  ...v.omit(InboundMessagePayloadSchema, ['from']).entries,
  whatsapp_id: v.string(),
  client_ref: v.null(),
  to: v.string(),
  status: v.literal('sent'),
  from_me: v.literal(true),
});

/** The keys of both `call.*` events. */
const callEntries = {
  call_id: v.pipe(v.string(), v.description("WhatsApp's call id: what `POST …/calls/:call_id/reject` takes.")),
  from: v.pipe(v.string(), v.description('The caller: their phone number when known, else their LID.')),
  phone_number: v.nullable(v.string()),
  lid: v.nullable(v.string()),
  is_video: v.boolean(),
  is_group: v.boolean(),
  group_id: v.pipe(v.nullable(v.string()), v.description('The group (`…@g.us`) of a group call, else null.')),
  offered_at: v.pipe(v.string(), v.description('When it started ringing.')),
};

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
    ...changeEntries('edited'),
    text: v.pipe(v.string(), v.description('The new text (the new caption of a media message).')),
    edited_at: v.string(),
  }),
  'message.revoked': v.object({ ...changeEntries('deleted'), revoked_at: v.string() }),
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
  'message.reaction': MessageReactionPayloadSchema,
  'message.played': receiptPayload,
  'poll.vote': PollVotePayloadSchema,
  'call.offered': v.object(callEntries),
  'call.terminated': v.object({
    ...callEntries,
    reason: v.pipe(
      v.picklist(['rejected', 'accepted', 'missed', 'ended']),
      v.description('`rejected` declined (see `rejected_by`), `accepted` answered on the phone, `missed` nobody answered, `ended` the caller hung up.'),
    ),
    rejected_by: v.pipe(
      v.nullable(v.picklist(['settings', 'api', 'phone'])),
      v.description('Who declined it: `settings` (`reject_calls`), `api` (`POST …/calls/:call_id/reject`), `phone`; null unless rejected.'),
    ),
    terminated_at: v.string(),
  }),
  'story.viewed': v.object({
    message_id: v.pipe(v.string(), v.description('The `msg_` id of the status post.')),
    whatsapp_id: v.string(),
    viewer: v.pipe(v.string(), v.description('Who viewed it: their phone number when known, else their LID.')),
    phone_number: v.nullable(v.string()),
    lid: v.nullable(v.string()),
    kind: v.pipe(v.picklist(['read', 'played']), v.description('`read` opened, `played` a video or voice post played.')),
    viewed_at: v.string(),
  }),
  ...GROUP_EVENT_PAYLOAD_SCHEMAS,
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
