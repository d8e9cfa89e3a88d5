/*
 * The chats of an instance (table `chats`): how the account files each conversation (archived, pinned,
 * muted, disappearing messages), how many messages wait unread, and when it last saw traffic. Kept from what
 * the session reports (the phone's chat list) and from the messages that pass through the instance; never a
 * message body. Every method takes the customer id: another customer's chat is absent.
 */
import type { Page } from '../shared/index.js';

export interface Chat {
  readonly customerId: string;
  readonly instanceId: string;
  /** The chat JID (`…@s.whatsapp.net`, `…@g.us`, `…@lid`). */
  readonly chatId: string;
  readonly name: string | null;
  readonly unreadCount: number;
  /** "Mark as unread" without a count. */
  readonly markedUnread: boolean;
  readonly archived: boolean;
  readonly pinned: boolean;
  readonly mutedUntil: Date | null;
  /** Disappearing messages: seconds, 0 when off. */
  readonly ephemeralSeconds: number;
  readonly lastActivityAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The fields of a chat a change may set; absent fields stay as they are. */
export interface ChatState {
  readonly name?: string | null;
  readonly unreadCount?: number;
  readonly markedUnread?: boolean;
  readonly archived?: boolean;
  readonly pinned?: boolean;
  readonly mutedUntil?: Date | null;
  readonly ephemeralSeconds?: number;
  readonly lastActivityAt?: Date;
}

export interface ChatKey {
  readonly customerId: string;
  readonly instanceId: string;
  readonly chatId: string;
}

export interface ChatListFilter {
  readonly archived?: boolean;
  /** true: chats with unread messages or marked unread; false: the others. */
  readonly unread?: boolean;
}

/** Most recent activity first; `cursor` is the opaque `nextCursor` of the previous page. */
export interface ChatPageRequest {
  readonly limit: number;
  readonly cursor?: string | null;
}

export interface ChatRepository {
  /** The chat, or null when the instance keeps no such chat (or it is another customer's). */
  find(key: ChatKey): Promise<Chat | null>;
  /**
   * Sets the given fields, creating the chat first when absent (`lastActivityAt` defaults to `at`; it only ever
   * moves forward, so an older report never makes a chat look idle). Returns the
   * chat before (null when created) and after. Within a transaction the chat's row is locked between the two.
   */
  apply(key: ChatKey, state: ChatState, at: Date): Promise<{ readonly before: Chat | null; readonly after: Chat }>;
  /**
   * A message passed through the chat at `at`: last activity moves forward (never back), an inbound message
   * counts one more unread, a chat without a name takes `name`. Creates the chat when absent. Atomic on its own.
   */
  touch(key: ChatKey, activity: { readonly at: Date; readonly inbound: boolean; readonly name?: string | null }): Promise<Chat>;
  /** Removes the chat; false when there was none. */
  delete(key: ChatKey): Promise<boolean>;
  /**
   * The instance's chats, most recent activity first (ties by chat id). Throws `DomainError('invalid_input')`
   * for a cursor it did not issue.
   */
  list(customerId: string, instanceId: string, page: ChatPageRequest, filter?: ChatListFilter): Promise<Page<Chat>>;
}

export interface ChatRepositories {
  readonly chats: ChatRepository;
}
