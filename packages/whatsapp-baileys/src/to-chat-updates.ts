/*
 * Baileys' chats (`chats.upsert`, `chats.update`, the chats of `messaging-history.set`: WhatsApp's
 * `Conversation` with optional fields) → the session port's ChatUpdate, with only the fields WhatsApp told.
 *
 * - `unreadCount` in `chats.update` is a delta Baileys' buffer adds up (+1 per message), except 0 (read) and -1
 *   (marked unread, from the `markChatAsRead` sync action); core counts messages itself, so only 0 and -1 are
 *   taken. A history sync's count is the phone's own and is taken as it is.
 * - `pinned` is the pin time in seconds or null; `muteEndTime` is a time (milliseconds from a sync action,
 *   seconds from a history sync) or -1 for "always"; `conversationTimestamp` is in seconds (number or Long).
 */
import type { ChatUpdate } from '@whatisup/core';
import type { Chat, ChatUpdate as BaileysChatUpdate } from '@whiskeysockets/baileys';
import { jidNormalizedUser } from '@whiskeysockets/baileys';

/** "Muted always": WhatsApp's -1, kept as the last second of year 9999. */
export const MUTED_ALWAYS = new Date('9999-12-31T23:59:59.000Z');

type Numeric = number | { toString(): string } | null | undefined;

function toNumber(value: Numeric): number | null {
  if (value === null || value === undefined) return null;
  const number = typeof value === 'number' ? value : Number(value.toString());
  return Number.isFinite(number) ? number : null;
}

function toMutedUntil(value: Numeric): Date | null {
  const number = toNumber(value);
  if (number === null || number === 0) return null;
  if (number < 0) return MUTED_ALWAYS;
  return new Date(number > 100_000_000_000 ? number : number * 1000);
}

function toTime(value: Numeric): Date | null {
  const number = toNumber(value);
  return number === null || number <= 0 ? null : new Date(number * 1000);
}

type AnyChat = Partial<Chat> | BaileysChatUpdate;

function common(chat: AnyChat): Omit<ChatUpdate, 'chatId'> {
  const lastActivity = toTime(chat.conversationTimestamp as Numeric) ?? toTime(chat.lastMessageRecvTimestamp);
  return {
    ...(typeof chat.name === 'string' && chat.name.length > 0 && { name: chat.name }),
    ...(chat.archived !== undefined && chat.archived !== null && { archived: chat.archived }),
    ...('pinned' in chat && chat.pinned !== undefined && { pinned: (toNumber(chat.pinned) ?? 0) > 0 }),
    ...('muteEndTime' in chat && chat.muteEndTime !== undefined && { mutedUntil: toMutedUntil(chat.muteEndTime as Numeric) }),
    ...('ephemeralExpiration' in chat && chat.ephemeralExpiration !== undefined && { ephemeralSeconds: toNumber(chat.ephemeralExpiration) ?? 0 }),
    ...(chat.markedAsUnread === true && { markedUnread: true }),
    ...(lastActivity !== null && { lastActivityAt: lastActivity }),
  };
}

/** A chat WhatsApp reported changed (`chats.update`) or learnt (`chats.upsert`); null without an id. */
export function fromChatUpdate(chat: AnyChat): ChatUpdate | null {
  if (!chat.id) return null;
  const unread = toNumber(chat.unreadCount);
  return {
    chatId: jidNormalizedUser(chat.id),
    ...common(chat),
    ...(unread === 0 && { unreadCount: 0, markedUnread: false }),
    ...(unread !== null && unread < 0 && { markedUnread: true }),
  };
}

/** A chat of a history sync: the phone's state at the time, its unread count included. */
export function fromHistoryChat(chat: Chat): ChatUpdate | null {
  if (!chat.id) return null;
  const unread = toNumber(chat.unreadCount);
  return {
    chatId: jidNormalizedUser(chat.id),
    ...common(chat),
    ...(unread !== null && unread >= 0 && { unreadCount: unread }),
    ...(unread !== null && unread < 0 && { markedUnread: true }),
  };
}
