/*
 * Messages keep the chat list current: a message someone sent opens the chat (named by the sender's push
 * name until WhatsApp names it) and counts one unread (a reaction does not); a message the instance sent, through the API or from
 * the phone, moves the chat's last activity. Status broadcasts have no chat. Never an event of its own.
 */
import type { InboundMessage, SessionInstance } from '../sessions/index.js';
import type { UnitOfWork } from '../shared/index.js';
import type { ChatRepositories } from './chat-repository.js';
import { chatKeyId, isChatId } from './handle-chat-change.js';

export interface ChatActivity {
  /** A message someone sent to the instance. */
  onInbound(instance: Pick<SessionInstance, 'id' | 'customerId'>, message: InboundMessage): Promise<void>;
  /** A message the instance sent (through the API or from the phone) to `chatId` at `at`. */
  onOutbound(instance: Pick<SessionInstance, 'id' | 'customerId'>, chatId: string, at: Date): Promise<void>;
}

const hasChat = (chatId: string): boolean => isChatId(chatKeyId(chatId));

export function createChatActivity(deps: { readonly uow: UnitOfWork<ChatRepositories> }): ChatActivity {
  return {
    async onInbound(instance, message) {
      if (!hasChat(message.chatId)) return;
      await deps.uow.repos.chats.touch(
        { customerId: instance.customerId, instanceId: instance.id, chatId: chatKeyId(message.chatId) },
        { at: message.receivedAt, inbound: message.body.type !== 'reaction', name: message.isGroup ? null : (message.pushName?.slice(0, 256) ?? null) },
      );
    },
    async onOutbound(instance, chatId, at) {
      if (!hasChat(chatId)) return;
      await deps.uow.repos.chats.touch({ customerId: instance.customerId, instanceId: instance.id, chatId: chatKeyId(chatId) }, { at, inbound: false });
    },
  };
}
