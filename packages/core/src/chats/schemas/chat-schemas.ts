/* The wire shapes of the presence and chat routes, validated at the edge and again in the use cases. */
import * as v from 'valibot';
import { PRESENCE_STATES } from '../../sessions/index.js';

export const MAX_READ_MESSAGE_IDS = 100;

const ChatId = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(128),
  v.description('A phone number (no "+"), a phone JID, a LID (…@lid) or a group JID (…@g.us).'),
  v.metadata({ example: '4915112345678' }),
);

export const PresenceBody = v.strictObject({
  state: v.pipe(v.picklist(PRESENCE_STATES), v.description('`typing`, `recording` and `paused` need a `chat_id`.')),
  chat_id: v.optional(ChatId),
});

export const PresenceSubscriptionBody = v.strictObject({ chat_id: ChatId });

export const ChatReadBody = v.strictObject({
  message_ids: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
      v.minLength(1),
      v.maxLength(MAX_READ_MESSAGE_IDS),
      v.description("WhatsApp ids of inbound messages (`message.received`'s `message_id`); absent: every unread message."),
    ),
  ),
});

export const ChatParams = v.object({ id: v.pipe(v.string(), v.maxLength(64)), chat_id: ChatId });

export type PresenceBody = v.InferOutput<typeof PresenceBody>;
export type ChatReadBody = v.InferOutput<typeof ChatReadBody>;
