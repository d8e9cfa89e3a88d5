import { parseWithSchema, type Principal } from '../shared/index.js';
import { normalizeRecipient, type Message, type StageOutboxAction } from '../messages/index.js';
import { ChatReadBody } from './schemas/chat-schemas.js';

export type MarkChatRead = (
  principal: Principal,
  input: {
    readonly instanceId: string;
    readonly chatId: string;
    readonly messageIds?: readonly string[] | undefined;
    readonly idempotencyKey?: string | null | undefined;
  },
) => Promise<{ action: Message; created: boolean }>;

/**
 * Blue ticks (`POST …/chats/:chat_id/read`): the given inbound messages, or every unread one of the chat.
 * Staged in the outbox. Throws invalid_input, not_found, forbidden, not_connected, idempotency_conflict.
 */
export function createMarkChatRead(deps: { readonly stageOutboxAction: StageOutboxAction }): MarkChatRead {
  return async (principal, input) => {
    const body = parseWithSchema(ChatReadBody, { message_ids: input.messageIds });
    const chat = normalizeRecipient(input.chatId, 'chat_id');
    return deps.stageOutboxAction(principal, {
      instanceId: input.instanceId,
      action: { type: 'read', chat, messageIds: body.message_ids ?? null },
      target: chat,
      idempotencyKey: input.idempotencyKey,
    });
  };
}
