import type { ActionAccepted, MarkChatReadParams, SetPresenceParams, SubscribePresenceParams } from '../api-types.js';
import { sendIdempotent, type SendOptions } from '../http/idempotent-request.js';
import type { Transport } from '../http/transport.js';
import { routeOf } from '../routes.js';
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
}
