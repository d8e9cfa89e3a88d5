/* Chats in memory, with the Postgres adapter's semantics (order, cursor, touch, apply). */
import { compareChats, decodeChatCursor, encodeChatCursor, type Chat, type ChatKey, type ChatRepository } from '../chats/index.js';
import type { InMemoryState } from './in-memory-state.js';

const keyOf = (key: ChatKey) => `${key.customerId} ${key.instanceId} ${key.chatId}`;

function created(key: ChatKey, at: Date): Chat {
  return {
    customerId: key.customerId,
    instanceId: key.instanceId,
    chatId: key.chatId,
    name: null,
    unreadCount: 0,
    markedUnread: false,
    archived: false,
    pinned: false,
    mutedUntil: null,
    ephemeralSeconds: 0,
    lastActivityAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

export function createInMemoryChatRepository(state: InMemoryState): ChatRepository {
  const rows = state['chats'] as Map<string, Chat>;
  return {
    async find(key) {
      return rows.get(keyOf(key)) ?? null;
    },
    async apply(key, change, at) {
      const before = rows.get(keyOf(key)) ?? null;
      const base = before ?? created(key, change.lastActivityAt ?? at);
      const lastActivityAt = change.lastActivityAt !== undefined && change.lastActivityAt > base.lastActivityAt ? change.lastActivityAt : base.lastActivityAt;
      const after: Chat = { ...base, ...change, lastActivityAt, updatedAt: at };
      rows.set(keyOf(key), after);
      return { before, after };
    },
    async touch(key, activity) {
      const existing = rows.get(keyOf(key)) ?? created(key, activity.at);
      const after: Chat = {
        ...existing,
        name: existing.name ?? activity.name ?? null,
        unreadCount: existing.unreadCount + (activity.inbound ? 1 : 0),
        lastActivityAt: existing.lastActivityAt > activity.at ? existing.lastActivityAt : activity.at,
        updatedAt: activity.at,
      };
      rows.set(keyOf(key), after);
      return after;
    },
    async delete(key) {
      return rows.delete(keyOf(key));
    },
    async list(customerId, instanceId, page, filter = {}) {
      const cursor = page.cursor == null ? null : decodeChatCursor(page.cursor);
      const sorted = [...rows.values()]
        .filter((chat) => chat.customerId === customerId && chat.instanceId === instanceId)
        .filter((chat) => filter.archived === undefined || chat.archived === filter.archived)
        .filter((chat) => filter.unread === undefined || (chat.unreadCount > 0 || chat.markedUnread) === filter.unread)
        .filter((chat) => cursor === null || compareChats(chat, cursor) > 0)
        .sort(compareChats);
      const data = sorted.slice(0, page.limit);
      const last = data[data.length - 1];
      return { data, nextCursor: sorted.length > page.limit && last !== undefined ? encodeChatCursor(last) : null };
    },
  };
}
