/*
 * The `data` of `message.received` (and, with `from_me`, of `message.sent` for a message sent from the
 * phone), snake_case as on the wire. Media is never inlined: a media body carries `media_url` (a signed
 * proxy URL, or null with `media_error` when the bytes could not be kept) plus mime type, size and filename.
 */
import * as v from 'valibot';

export const MessageReferencePayloadSchema = v.object({
  message_id: v.pipe(v.string(), v.description("WhatsApp's id of the referenced message.")),
  chat_id: v.string(),
  from_me: v.boolean(),
  participant: v.nullable(v.string()),
  text: v.optional(v.string()),
});

const mediaEntries = {
  media_url: v.pipe(v.nullable(v.string()), v.description('A signed URL of the kept bytes; null when they could not be kept.')),
  media_error: v.optional(v.picklist(['too_large', 'download_failed'])),
  mime_type: v.string(),
  size: v.nullable(v.number()),
  filename: v.nullable(v.string()),
};

export const InboundBodyPayloadSchema = v.variant('type', [
  v.object({ type: v.literal('text'), text: v.string() }),
  v.object({ type: v.picklist(['image', 'video', 'document']), ...mediaEntries, caption: v.nullable(v.string()) }),
  v.object({ type: v.literal('audio'), ...mediaEntries, ptt: v.boolean() }),
  v.object({ type: v.literal('sticker'), ...mediaEntries }),
  v.object({
    type: v.literal('location'),
    latitude: v.number(),
    longitude: v.number(),
    name: v.nullable(v.string()),
    address: v.nullable(v.string()),
  }),
  v.object({ type: v.literal('contact'), display_name: v.nullable(v.string()), vcard: v.string() }),
  v.object({ type: v.literal('reaction'), emoji: v.string(), target: MessageReferencePayloadSchema }),
  v.object({ type: v.literal('unsupported'), kind: v.string() }),
]);

/** A person by both of WhatsApp's addresses, each null when unknown. */
export const PersonPayloadSchema = v.pipe(
  v.object({
    phone_number: v.pipe(v.nullable(v.string()), v.description('Digits, no "+"; null while WhatsApp hides it.')),
    lid: v.pipe(v.nullable(v.string()), v.description('The LID (`<digits>@lid`), when known.')),
  }),
  v.description('Who sent it (the group participant in a group), by phone number and LID as far as known.'),
);

export const InboundMessagePayloadSchema = v.object({
  message_id: v.pipe(v.string(), v.description("WhatsApp's message id.")),
  from: v.string(),
  chat_id: v.string(),
  is_group: v.boolean(),
  sender: v.nullable(v.string()),
  push_name: v.nullable(v.string()),
  received_at: v.string(),
  body: InboundBodyPayloadSchema,
  reply_to: v.nullable(MessageReferencePayloadSchema),
  author: PersonPayloadSchema,
});

export type MessageReferencePayload = v.InferOutput<typeof MessageReferencePayloadSchema>;
export type InboundBodyPayload = v.InferOutput<typeof InboundBodyPayloadSchema>;
export type PersonPayload = v.InferOutput<typeof PersonPayloadSchema>;
export type InboundMessagePayload = v.InferOutput<typeof InboundMessagePayloadSchema>;
