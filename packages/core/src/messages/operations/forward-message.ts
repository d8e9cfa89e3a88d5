import * as v from 'valibot';
import { DomainError, notFound, parseWithSchema, type Principal, type UnitOfWork } from '../../shared/index.js';
import type { Message, MessageBody } from '../message.js';
import type { MessageRepositories } from '../message-repositories.js';
import { isOutboxAction } from '../outbox/outbox-action.js';
import type { SendMessage } from '../outbox/send-message.js';
import { SendMessageBodySchema } from '../schemas/send-message-body-schema.js';

export const ForwardMessageBody = v.strictObject({ to: SendMessageBodySchema.entries.to });

export type ForwardMessage = (
  principal: Principal,
  input: { readonly id: string; readonly to: string; readonly idempotencyKey?: string | null | undefined },
) => Promise<{ message: Message; created: boolean }>;

/**
 * Forwards one of the customer's messages to `to` from the same instance (`POST /v1/messages/:id/forward`): a new
 * `msg_` with the same content, shown as "Forwarded", sent through the outbox like any message. Throws
 * invalid_input, not_found, conflict (a reaction, or media whose inline bytes are no longer kept), and what
 * sending throws (not_connected, idempotency_conflict, forbidden).
 */
export function createForwardMessage(deps: { readonly uow: UnitOfWork<MessageRepositories>; readonly sendMessage: SendMessage }): ForwardMessage {
  return async (principal, input) => {
    const { to } = parseWithSchema(ForwardMessageBody, { to: input.to });
    const original = await deps.uow.repos.messages.findById(principal.customerId, input.id);
    if (original === null || isOutboxAction(original.body) || (principal.instanceId !== null && original.instanceId !== principal.instanceId)) {
      throw notFound('message', input.id);
    }
    const body: MessageBody = original.body;
    if (body.type === 'reaction') throw new DomainError('conflict', 'A reaction cannot be forwarded.', { message_id: original.id });
    if ('media_sha256' in body) {
      throw new DomainError('conflict', 'The media of this message was sent inline and is no longer kept; send it again instead.', {
        message_id: original.id,
      });
    }
    return deps.sendMessage(principal, {
      instanceId: original.instanceId,
      to,
      body,
      idempotencyKey: input.idempotencyKey,
      forwardedFrom: original.id,
    });
  };
}
