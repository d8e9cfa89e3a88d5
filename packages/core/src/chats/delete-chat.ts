import type { Principal } from '../shared/index.js';
import type { Message } from '../messages/index.js';
import { findChatInScope } from './get-chat.js';
import type { ChatStateDeps } from './update-chat.js';

export type DeleteChat = (
  principal: Principal,
  input: { readonly instanceId: string; readonly chatId: string; readonly idempotencyKey?: string | null | undefined },
) => Promise<{ action: Message; created: boolean }>;

/**
 * Deletes a chat the instance keeps from the account's chat list (`DELETE …/chats/:chat_id`), staged in the
 * outbox; the stored chat goes when WhatsApp reports the deletion back. Throws invalid_input, not_found,
 * forbidden, not_connected, idempotency_conflict.
 */
export function createDeleteChat(deps: Pick<ChatStateDeps, 'uow' | 'stageOutboxAction'>): DeleteChat {
  return async (principal, input) => {
    const chat = await findChatInScope(deps.uow.repos, principal, input);
    return deps.stageOutboxAction(principal, {
      instanceId: input.instanceId,
      action: { type: 'delete_chat', chat: chat.chatId },
      target: chat.chatId,
      idempotencyKey: input.idempotencyKey,
    });
  };
}
