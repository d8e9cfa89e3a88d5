import { DomainError, parseWithSchema, type Clock, type Principal, type UnitOfWork } from '../shared/index.js';
import type { InstanceRepositories } from '../instances/index.js';
import type { Message, StageOutboxAction } from '../messages/index.js';
import type { SessionAction } from '../sessions/index.js';
import type { ChatRepositories } from './chat-repository.js';
import { findChatInScope } from './get-chat.js';
import { ChatStateBody } from './schemas/chat-state-schemas.js';

export interface ChatStateDeps {
  readonly uow: UnitOfWork<ChatRepositories & InstanceRepositories>;
  readonly clock: Clock;
  readonly stageOutboxAction: StageOutboxAction;
}

export type UpdateChat = (
  principal: Principal,
  input: {
    readonly instanceId: string;
    readonly chatId: string;
    readonly state: unknown;
    readonly idempotencyKey?: string | null | undefined;
  },
) => Promise<{ action: Message; created: boolean }>;

/**
 * Archives, pins, mutes, marks unread or read, or sets disappearing messages of a chat the instance keeps
 * (`PATCH …/chats/:chat_id`), staged in the outbox. The stored chat changes when WhatsApp reports the change
 * back (`chat.archived`, `chat.pinned`, `chat.updated`). Throws invalid_input (a malformed body or chat id, a
 * mute that ends in the past), not_found (no such instance or chat), forbidden, not_connected,
 * idempotency_conflict.
 */
export function createUpdateChat(deps: ChatStateDeps): UpdateChat {
  return async (principal, input) => {
    const body = parseWithSchema(ChatStateBody, input.state, 'body');
    if (body.muted_until !== undefined && body.muted_until !== null && new Date(body.muted_until).getTime() <= deps.clock.now().getTime()) {
      throw new DomainError('invalid_input', 'muted_until must be in the future; send null to unmute.', { field: 'muted_until' });
    }
    const chat = await findChatInScope(deps.uow.repos, principal, input);
    const action: SessionAction = {
      type: 'modify_chat',
      chat: chat.chatId,
      ...(body.archived !== undefined && { archived: body.archived }),
      ...(body.pinned !== undefined && { pinned: body.pinned }),
      ...(body.muted_until !== undefined && { mutedUntil: body.muted_until === null ? null : new Date(body.muted_until).toISOString() }),
      ...(body.unread !== undefined && { unread: body.unread }),
      ...(body.ephemeral_seconds !== undefined && { ephemeralSeconds: body.ephemeral_seconds }),
    };
    return deps.stageOutboxAction(principal, { instanceId: input.instanceId, action, target: chat.chatId, idempotencyKey: input.idempotencyKey });
  };
}
