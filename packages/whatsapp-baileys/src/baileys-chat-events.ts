/*
 * Binds a socket's chat events to the session listener: `chats.upsert` and `chats.update` (the phone, another
 * device, or our own `chatModify` echoed back: Baileys emits its own app-state changes), `chats.delete`, and
 * the chats of a history sync (`messaging-history.set`). Every `messages.upsert` also remembers its chat's
 * last message for `chatModify` (last-message-store.ts).
 */
import type { SessionEvent } from '@whatisup/core';
import type { BaileysSocket } from './baileys-socket.js';
import type { LastMessageStore } from './last-message-store.js';
import { fromChatUpdate, fromHistoryChat } from './to-chat-updates.js';
import { jidNormalizedUser } from '@whiskeysockets/baileys';

export interface ChatEventDeps {
  readonly socket: BaileysSocket;
  readonly emit: (event: SessionEvent) => void;
  readonly lastMessages: LastMessageStore;
  readonly isCurrent: () => boolean;
}

export function bindChatEvents({ socket, emit, lastMessages, isCurrent }: ChatEventDeps): void {
  const report = (update: ReturnType<typeof fromChatUpdate>): void => {
    if (update !== null) emit({ type: 'chat_update', update });
  };
  socket.ev.on('messages.upsert', ({ messages }) => {
    if (!isCurrent()) return;
    for (const message of messages) lastMessages.remember(message);
  });
  socket.ev.on('chats.upsert', (chats) => {
    if (!isCurrent()) return;
    for (const chat of chats) report(fromChatUpdate(chat));
  });
  socket.ev.on('chats.update', (updates) => {
    if (!isCurrent()) return;
    for (const update of updates) report(fromChatUpdate(update));
  });
  socket.ev.on('chats.delete', (ids) => {
    if (!isCurrent()) return;
    for (const id of ids) {
      lastMessages.forget(id);
      emit({ type: 'chat_delete', chatId: jidNormalizedUser(id) });
    }
  });
  socket.ev.on('messaging-history.set', ({ chats, messages }) => {
    if (!isCurrent()) return;
    for (const message of messages) lastMessages.remember(message);
    for (const chat of chats) report(fromHistoryChat(chat));
  });
}
