import type { Principal, UnitOfWork } from '../../shared/index.js';
import type { Message } from '../message.js';
import type { MessageRepositories } from '../message-repositories.js';
import type { StageOutboxAction } from '../outbox/stage-outbox-action.js';
import { sentMessageInScope } from './sent-message-in-scope.js';

export type RevokeMessage = (
  principal: Principal,
  input: { readonly id: string; readonly idempotencyKey?: string | null | undefined },
) => Promise<{ action: Message; created: boolean }>;

/**
 * Deletes a message the instance sent through the API for everyone (`DELETE /v1/messages/:id`), staged in the
 * outbox; `message.revoked` follows once WhatsApp took it. Throws not_found, conflict (not sent, failed),
 * forbidden, not_connected, idempotency_conflict.
 */
export function createRevokeMessage(deps: { readonly uow: UnitOfWork<MessageRepositories>; readonly stageOutboxAction: StageOutboxAction }): RevokeMessage {
  return async (principal, input) => {
    const message = await sentMessageInScope(deps.uow.repos, principal, input.id, 'revoked');
    return deps.stageOutboxAction(principal, {
      instanceId: message.instanceId,
      action: { type: 'revoke', target: { whatsappId: message.whatsappId, chatId: message.recipient, fromMe: true } },
      target: message.recipient,
      idempotencyKey: input.idempotencyKey,
    });
  };
}
