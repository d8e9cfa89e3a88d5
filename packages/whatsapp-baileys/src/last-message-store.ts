/*
 * The last message of each chat (its key and time), as Baileys' `chatModify` needs it: archiving, marking
 * read or unread and deleting a chat name the chat's last message (`lastMessages`) so the other devices apply
 * the change up to that message. Fed from every `messages.upsert`, our own sends included (Baileys echoes
 * them as `append`). Bounded, oldest chat first out; a chat not remembered gets an empty range, which WhatsApp
 * takes as "the whole chat".
 */
import type { MinimalMessage, WAMessage } from '@whiskeysockets/baileys';
import { jidNormalizedUser } from '@whiskeysockets/baileys';

export interface LastMessageStore {
  remember(message: WAMessage): void;
  /** The chat's last message as `chatModify` takes it, or an empty list when none is remembered. */
  lastMessages(chatJid: string): MinimalMessage[];
  forget(chatJid: string): void;
}

const seconds = (value: WAMessage['messageTimestamp']): number => (typeof value === 'number' ? value : value == null ? 0 : Number(value.toString()));

export function createLastMessageStore(maxChats: number): LastMessageStore {
  const chats = new Map<string, MinimalMessage>();
  return {
    remember(message) {
      const remoteJid = message.key?.remoteJid;
      if (!remoteJid || !message.key.id) return;
      const chat = jidNormalizedUser(remoteJid);
      const known = chats.get(chat);
      if (known !== undefined && seconds(known.messageTimestamp) > seconds(message.messageTimestamp)) return;
      chats.delete(chat);
      chats.set(chat, { key: message.key, messageTimestamp: message.messageTimestamp });
      while (chats.size > maxChats) {
        const oldest = chats.keys().next().value;
        if (oldest === undefined) break;
        chats.delete(oldest);
      }
    },
    lastMessages(chatJid) {
      const last = chats.get(jidNormalizedUser(chatJid));
      return last === undefined ? [] : [last];
    },
    forget(chatJid) {
      chats.delete(jidNormalizedUser(chatJid));
    },
  };
}
