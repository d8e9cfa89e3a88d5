/* The wire shapes of the chat state routes, validated at the edge and again in the use cases. */
import * as v from 'valibot';
import { ChatPayloadSchema, type ChatPayload } from '../../events/index.js';
import { EPHEMERAL_DURATIONS } from '../../sessions/index.js';
import type { Chat } from '../chat-repository.js';

export const ChatStateBody = v.pipe(
  v.strictObject({
    archived: v.optional(v.boolean()),
    pinned: v.optional(v.boolean()),
    muted_until: v.optional(
      v.pipe(
        v.nullable(v.pipe(v.string(), v.isoTimestamp())),
        v.description('Mute until then (ISO-8601 with a time zone, in the future); null unmutes.'),
        v.metadata({ example: '2026-06-01T08:00:00Z' }),
      ),
    ),
    unread: v.optional(v.pipe(v.boolean(), v.description('`true` marks the chat unread; `false` marks it read (no blue ticks).'))),
    ephemeral_seconds: v.optional(
      v.pipe(
        v.picklist(EPHEMERAL_DURATIONS),
        v.description('Disappearing messages: 0 (off), 86400 (24 h), 604800 (7 days) or 7776000 (90 days).'),
      ),
    ),
  }),
  v.check((body) => Object.keys(body).length > 0, 'Give at least one of archived, pinned, muted_until, unread, ephemeral_seconds.'),
);

export const ChatStateParams = v.object({
  id: v.pipe(v.string(), v.maxLength(64)),
  chat_id: v.pipe(
    v.string(),
    v.minLength(1),
    v.maxLength(128),
    v.description('A phone number (no "+"), a phone JID, a LID (…@lid) or a group JID (…@g.us).'),
    v.metadata({ example: '4915112345678' }),
  ),
});

export const ChatJson = ChatPayloadSchema;

export type ChatStateBody = v.InferOutput<typeof ChatStateBody>;

export const toChatJson = (chat: Chat): ChatPayload => ({
  chat_id: chat.chatId,
  name: chat.name,
  is_group: chat.chatId.endsWith('@g.us'),
  unread_count: chat.unreadCount,
  unread: chat.unreadCount > 0 || chat.markedUnread,
  archived: chat.archived,
  pinned: chat.pinned,
  muted_until: chat.mutedUntil?.toISOString() ?? null,
  ephemeral_seconds: chat.ephemeralSeconds,
  last_activity_at: chat.lastActivityAt.toISOString(),
  updated_at: chat.updatedAt.toISOString(),
});
