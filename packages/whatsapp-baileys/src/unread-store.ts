/*
 * The keys of inbound messages not yet marked read, per chat, so "mark the chat read" can name them to
 * Baileys' `readMessages` (which needs each message's full key: chat, id, and the participant in a group).
 * Bounded (oldest first out): a chat with more unread messages than that gets the newest ones marked, which
 * is what the phone shows as read anyway.
 */
import type { WAMessageKey } from '@whiskeysockets/baileys';

export interface UnreadStore {
  /** Remembers an inbound message of `chatId` (the chat as events name it). */
  remember(chatId: string, key: WAMessageKey): void;
  /** Takes the keys to mark read: those of `ids` (a key is made up for an id not remembered), or all of the chat's. */
  take(chatId: string, ids: readonly string[] | null, fallbackJid: string): WAMessageKey[];
}

export function createUnreadStore(maxEntries: number): UnreadStore {
  /** id → [chat, key], in arrival order. */
  const entries = new Map<string, { readonly chatId: string; readonly key: WAMessageKey }>();
  return {
    remember(chatId, key) {
      if (!key.id) return;
      entries.delete(key.id);
      entries.set(key.id, { chatId, key });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    take(chatId, ids, fallbackJid) {
      if (ids === null) {
        const keys = [...entries.values()].filter((entry) => entry.chatId === chatId).map((entry) => entry.key);
        for (const key of keys) entries.delete(key.id!);
        return keys;
      }
      return ids.map((id) => {
        const known = entries.get(id);
        entries.delete(id);
        return known?.key ?? { remoteJid: fallbackJid, id, fromMe: false };
      });
    },
  };
}
