/*
 * One `modify_chat` action as Baileys calls: a `chatModify` app-state patch per field (WhatsApp takes one
 * change per patch), and disappearing messages as a protocol message in the chat (`sendMessage` with
 * `disappearingMessagesInChat`, seconds or false). A mute names its end as milliseconds since the epoch
 * (what Baileys writes to `muteEndTimestamp`), -1 for "always"; null unmutes.
 */
import type { SessionAction } from '@whatisup/core';
import type { MinimalMessage } from '@whiskeysockets/baileys';
import type { BaileysSocket } from './baileys-socket.js';
import { MUTED_ALWAYS } from './to-chat-updates.js';

type ModifyChat = Extract<SessionAction, { type: 'modify_chat' }>;

export async function modifyChat(socket: BaileysSocket, jid: string, action: ModifyChat, lastMessages: MinimalMessage[]): Promise<void> {
  if (action.archived !== undefined) await socket.chatModify({ archive: action.archived, lastMessages }, jid);
  if (action.pinned !== undefined) await socket.chatModify({ pin: action.pinned }, jid);
  if (action.mutedUntil !== undefined) {
    const until = action.mutedUntil === null ? null : new Date(action.mutedUntil).getTime();
    await socket.chatModify({ mute: until === null ? null : until >= MUTED_ALWAYS.getTime() ? -1 : until }, jid);
  }
  if (action.unread !== undefined) await socket.chatModify({ markRead: !action.unread, lastMessages }, jid);
  if (action.ephemeralSeconds !== undefined) {
    await socket.sendMessage(jid, { disappearingMessagesInChat: action.ephemeralSeconds === 0 ? false : action.ephemeralSeconds });
  }
}
