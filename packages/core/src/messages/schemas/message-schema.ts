/*
 * Messages as JSON: the 202 of a send (`{message_id, client_ref, status: "queued"}`, the same for a repeat
 * as for the first request), a message as lists show it, and one message with its status trail. The body
 * is echoed as staged except `media_base64`: inline media can be megabytes, and the caller has it already.
 * The HTTP edge validates and documents with these schemas.
 */
import * as v from 'valibot';
import { Timestamp, idSchema } from '../../shared/index.js';
import type { MessageWithHistory } from '../get-message.js';
import { MESSAGE_STATUSES, type Message, type MessageBody, type MessageStatusEntry } from '../message.js';
import { MESSAGE_BODY_TYPES } from './message-body-schema.js';

/** The filters of the messages list; the HTTP edge adds its page query (`limit`, `cursor`). */
export const messageFilterEntries = {
  instance_id: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description('Only messages of this instance.'))),
  status: v.optional(v.pipe(v.picklist(MESSAGE_STATUSES), v.description('Only messages in this status.'))),
};

export const MessageAcceptedJson = v.object({
  message_id: idSchema('msg', 'The message id: every `message.*` event of this message carries it as `data.message_id`.'),
  client_ref: v.nullable(v.string()),
  status: v.pipe(v.literal('queued'), v.description('Accepted and staged; sending follows in acceptance order.')),
});

export type MessageAcceptedJson = v.InferInput<typeof MessageAcceptedJson>;

const MessageErrorJson = v.object({ code: v.string(), message: v.string() });

const MessageBodyView = v.pipe(
  v.looseObject({ type: v.picklist(MESSAGE_BODY_TYPES) }),
  v.description('The body as sent, without `media_base64`.'),
);

export const MessageJson = v.object({
  id: idSchema('msg', 'Message id.'),
  instance_id: v.string(),
  to: v.pipe(v.string(), v.description('The recipient as a JID (`…@s.whatsapp.net`, `…@g.us`, `…@lid`).')),
  body: MessageBodyView,
  client_ref: v.nullable(v.string()),
  reply_to: v.nullable(v.string()),
  status: v.pipe(v.picklist(MESSAGE_STATUSES), v.description('`queued` → `sent` → `delivered` → `read`, or `failed` (see `error`).')),
  whatsapp_id: v.pipe(v.nullable(v.string()), v.description('WhatsApp’s id, once sent.')),
  error: v.pipe(v.nullable(MessageErrorJson), v.description('Why it failed; null unless `failed`.')),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export type MessageJson = v.InferInput<typeof MessageJson>;

const MessageStatusEntryJson = v.object({
  status: v.picklist(MESSAGE_STATUSES),
  at: Timestamp,
  participant: v.pipe(v.nullable(v.string()), v.description('In a group, the participant whose receipt advanced the status.')),
  error: v.nullable(MessageErrorJson),
});

export const MessageDetailJson = v.object({
  ...MessageJson.entries,
  history: v.pipe(v.array(MessageStatusEntryJson), v.description('The status trail, oldest first (`queued` first).')),
});

/** The 202 of a send; a repeat gets exactly the first answer, whatever the message's status now. */
export function toMessageAcceptedJson(message: Message): MessageAcceptedJson {
  return { message_id: message.id, client_ref: message.clientRef, status: 'queued' };
}

/** The one domain → JSON mapping of a message (without its history). */
export function toMessageJson(message: Message): MessageJson {
  // Actions are never shown as messages (get and list leave them out), so the body is a message's.
  const { media_base64: _inline, ...body } = message.body as MessageBody & { media_base64?: string };
  return {
    id: message.id,
    instance_id: message.instanceId,
    to: message.recipient,
    body,
    client_ref: message.clientRef,
    reply_to: message.replyTo,
    status: message.status,
    whatsapp_id: message.whatsappId,
    error: message.error === null ? null : { code: message.error.code, message: message.error.message },
    created_at: message.createdAt.toISOString(),
    updated_at: message.updatedAt.toISOString(),
  };
}

const toEntryJson = (entry: MessageStatusEntry): v.InferInput<typeof MessageStatusEntryJson> => ({
  status: entry.status,
  at: entry.at.toISOString(),
  participant: entry.participant,
  error: entry.error === null ? null : { code: entry.error.code, message: entry.error.message },
});

/** One message with its status trail. */
export function toMessageDetailJson({ message, history }: MessageWithHistory): v.InferInput<typeof MessageDetailJson> {
  return { ...toMessageJson(message), history: history.map(toEntryJson) };
}
