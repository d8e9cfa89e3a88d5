/*
 * The list cursor of chats: the last activity and chat id of the last chat of a page, opaque to clients
 * (base64url JSON). Chats move when they see traffic, so a chat may show up on two pages, or on none, when it
 * moved between the requests; every other chat is listed once.
 */
import { DomainError } from '../shared/index.js';

export interface ChatCursor {
  readonly lastActivityAt: Date;
  readonly chatId: string;
}

export const encodeChatCursor = (chat: ChatCursor): string =>
  Buffer.from(JSON.stringify([chat.lastActivityAt.toISOString(), chat.chatId])).toString('base64url');

/** Throws `DomainError('invalid_input')` for a cursor that is not one of ours. */
export function decodeChatCursor(cursor: string): ChatCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      const lastActivityAt = new Date(parsed[0]);
      if (!Number.isNaN(lastActivityAt.getTime())) return { lastActivityAt, chatId: parsed[1] };
    }
  } catch {
    // falls through to the refusal
  }
  throw new DomainError('invalid_input', 'cursor is not a cursor this list issued.', { field: 'cursor' });
}

/** Most recent first, then by chat id: the list order. Negative when `a` comes first. */
export function compareChats(a: ChatCursor, b: ChatCursor): number {
  const byTime = b.lastActivityAt.getTime() - a.lastActivityAt.getTime();
  if (byTime !== 0) return byTime;
  return a.chatId < b.chatId ? -1 : a.chatId > b.chatId ? 1 : 0;
}
