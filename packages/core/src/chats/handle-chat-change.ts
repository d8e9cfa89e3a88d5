/*
 * What a session reports about the account's chats, kept in the `chats` table. A chat seen for the first time
 * (the chat list synced at pairing, a chat created on the phone) is stored without an event: a new pairing
 * would otherwise fire one per chat of the account. A change of a chat already kept records its events
 * (chat-event-data.ts) in the same transaction as the write; a report that changes nothing records none,
 * so the echo of a change and the change itself fire once. A deleted chat is removed, without an event.
 */
import type { EventRecorder } from '../events/index.js';
import type { ChatChange, SessionInstance } from '../sessions/index.js';
import type { Clock, UnitOfWork } from '../shared/index.js';
import type { ChatRepositories, ChatState } from './chat-repository.js';
import { chatChangeEvents } from './chat-event-data.js';

export interface ChatChangeHandlerDeps {
  readonly uow: UnitOfWork<ChatRepositories>;
  readonly events: EventRecorder;
  readonly clock: Clock;
}

export type HandleChatChange = (instance: Pick<SessionInstance, 'id' | 'customerId'>, change: ChatChange) => Promise<void>;

/** The id under which chats are kept: a device suffix or upper case never makes a second chat. */
export function chatKeyId(chatId: string): string {
  return chatId.trim().toLowerCase().replace(/:\d+@/, '@');
}

const CHAT_ID = /^[^@\s]+@(s\.whatsapp\.net|g\.us|lid)$/;

/** Whether a (kept) chat id names a person, a LID or a group: status broadcasts and channels are no chats. */
export const isChatId = (chatId: string): boolean => CHAT_ID.test(chatId);

export function createChatChangeHandler(deps: ChatChangeHandlerDeps): HandleChatChange {
  return async (instance, change) => {
    const at = deps.clock.now();
    if (!isChatId(chatKeyId(change.type === 'delete' ? change.chatId : change.update.chatId))) return;
    if (change.type === 'delete') {
      await deps.uow.repos.chats.delete({ customerId: instance.customerId, instanceId: instance.id, chatId: chatKeyId(change.chatId) });
      return;
    }
    const { chatId, ...fields } = change.update;
    const given: ChatState = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    // A name is kept to 256 characters (WhatsApp's own limits are far lower); counts are never negative.
    const state: ChatState = {
      ...given,
      ...(typeof given.name === 'string' && { name: given.name.slice(0, 256) }),
      ...(given.unreadCount !== undefined && { unreadCount: Math.max(0, Math.trunc(given.unreadCount)) }),
    };
    const key = { customerId: instance.customerId, instanceId: instance.id, chatId: chatKeyId(chatId) };
    await deps.uow.transaction(async (repos, tx) => {
      const { before, after } = await repos.chats.apply(key, state, at);
      if (before === null) return;
      for (const event of chatChangeEvents(before, after, at)) await deps.events.record(repos, tx, event);
    });
  };
}
