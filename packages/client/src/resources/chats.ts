import type {
  ActionAccepted,
  Chat,
  ChatFilters,
  MarkChatReadParams,
  Page,
  PageParams,
  SetPresenceParams,
  SubscribePresenceParams,
  UpdateChatParams,
} from '../api-types.js';
import { sendIdempotent, type SendOptions } from '../http/idempotent-request.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { Paginated, pageQuery } from '../pagination/paginated.js';
import { pathOf, routeOf } from '../routes.js';
import type { AcceptedAction } from './messages.js';

/**
 * What others see of an instance: online, offline, typing. Each call is staged in the instance's outbox (202)
 * and happens in order with its messages, with an Idempotency-Key like a send.
 */
export class Presence {
  constructor(private readonly transport: Transport) {}

  /**
   * `available` / `unavailable`: online or offline (in one chat with `chat_id`); `typing`, `recording`,
   * `paused`: show or stop "typing…" in the `chat_id` chat (required for these).
   */
  set(instanceId: string, params: SetPresenceParams, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, { ...routeOf('setPresence', { id: instanceId }), body: params }, options);
  }

  /** Follows a chat's presence: `presence.updated` events follow. */
  subscribe(instanceId: string, params: SubscribePresenceParams, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, { ...routeOf('subscribePresence', { id: instanceId }), body: params }, options);
  }
}

/** An instance's chats. `chatId` is a phone number, a phone JID, a LID or a group JID. */
export class Chats {
  constructor(private readonly transport: Transport) {}

  /**
   * Blue ticks on the given inbound messages (`message_ids`: WhatsApp ids, as `message.received` names them),
   * or on every unread message of the chat when `params` or `message_ids` is left out. Staged in the outbox.
   */
  markRead(instanceId: string, chatId: string, params: MarkChatReadParams = {}, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, { ...routeOf('markChatRead', { id: instanceId, chat_id: chatId }), body: params }, options);
  }

  /** Every chat the instance keeps, most recent activity first, fetched page by page as you iterate. */
  list(instanceId: string, params: PageParams & ChatFilters = {}, options: CallOptions = {}): Paginated<Chat> {
    return new Paginated((cursor) => this.listPage(instanceId, { ...params, ...(cursor !== undefined && { cursor }) }, options), params.cursor);
  }

  /** One page of the instance's chats. */
  listPage(instanceId: string, params: PageParams & ChatFilters = {}, options: CallOptions = {}): Promise<Page<Chat>> {
    const { archived, unread, ...page } = params;
    const query = {
      ...pageQuery(page, page.cursor),
      ...(archived !== undefined && { archived: String(archived) }),
      ...(unread !== undefined && { unread: String(unread) }),
    };
    return this.transport.json({ method: 'GET', path: pathOf('listChats', { id: instanceId }), query, retry: true, signal: options.signal });
  }

  /** One chat the instance keeps; 404 (`not_found`) when it keeps none under `chatId`. */
  get(instanceId: string, chatId: string, options: CallOptions = {}): Promise<Chat> {
    return this.transport.json({ method: 'GET', path: pathOf('getChat', { id: instanceId, chat_id: chatId }), retry: true, signal: options.signal });
  }

  /**
   * Archives, pins, mutes (`muted_until` in the future, null to unmute), marks unread or read, or sets
   * disappearing messages; only the fields given change. Staged in the outbox: `chat.archived`,
   * `chat.pinned` or `chat.updated` follow when WhatsApp took it.
   */
  update(instanceId: string, chatId: string, params: UpdateChatParams, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, { ...routeOf('updateChat', { id: instanceId, chat_id: chatId }), body: params }, options);
  }

  /** Deletes the chat from the account's chat list. Staged in the outbox. */
  delete(instanceId: string, chatId: string, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, routeOf('deleteChat', { id: instanceId, chat_id: chatId }), options);
  }
}
