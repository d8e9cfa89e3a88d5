import * as v from 'valibot';
import { DomainError, parseWithSchema, type Clock, type Principal, type UnitOfWork } from '../../shared/index.js';
import type { Message } from '../message.js';
import type { MessageRepositories } from '../message-repositories.js';
import type { StageOutboxAction } from '../outbox/stage-outbox-action.js';
import { MAX_TEXT_LENGTH } from '../schemas/message-limits.js';
import { sentMessageInScope } from './sent-message-in-scope.js';

/** WhatsApp lets a sender edit a message for 15 minutes after sending it. */
export const EDIT_WINDOW_MS = 15 * 60_000;

export const EditMessageBody = v.strictObject({
  text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT_LENGTH), v.description('The new text.')),
});

export type EditMessage = (
  principal: Principal,
  input: { readonly id: string; readonly text: string; readonly idempotencyKey?: string | null | undefined },
) => Promise<{ action: Message; created: boolean }>;

/**
 * Replaces the text of a text message the instance sent through the API (`PATCH /v1/messages/:id`), staged in the
 * outbox; `message.edited` follows once WhatsApp took it. Throws invalid_input, not_found, conflict (not a text
 * message, not sent, failed), edit_window_passed (sent more than 15 minutes ago), forbidden, not_connected,
 * idempotency_conflict.
 */
export function createEditMessage(deps: {
  readonly uow: UnitOfWork<MessageRepositories>;
  readonly clock: Clock;
  readonly stageOutboxAction: StageOutboxAction;
}): EditMessage {
  return async (principal, input) => {
    const { text } = parseWithSchema(EditMessageBody, { text: input.text });
    const message = await sentMessageInScope(deps.uow.repos, principal, input.id, 'edited');
    if (message.body.type !== 'text') {
      throw new DomainError('conflict', `Only text messages can be edited; this one is ${message.body.type}.`, { message_id: message.id });
    }
    const history = await deps.uow.repos.messages.history(principal.customerId, message.id);
    const sentAt = history.find((entry) => entry.status === 'sent')?.at ?? message.updatedAt;
    if (deps.clock.now().getTime() - sentAt.getTime() > EDIT_WINDOW_MS) {
      throw new DomainError('edit_window_passed', 'WhatsApp lets a message be edited for 15 minutes after it was sent.', {
        message_id: message.id,
        sent_at: sentAt.toISOString(),
      });
    }
    return deps.stageOutboxAction(principal, {
      instanceId: message.instanceId,
      action: { type: 'edit', target: { whatsappId: message.whatsappId, chatId: message.recipient, fromMe: true }, text },
      target: message.recipient,
      idempotencyKey: input.idempotencyKey,
    });
  };
}
