import { notFound, type Principal, type UnitOfWork } from '../shared/index.js';
import type { Message, MessageStatusEntry } from './message.js';
import type { MessageRepositories } from './message-repositories.js';
import { isOutboxAction } from './outbox/outbox-action.js';

export interface GetMessageDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
}

export interface MessageWithHistory {
  readonly message: Message;
  /** The status trail, oldest first (`queued` first). */
  readonly history: MessageStatusEntry[];
}

export type GetMessage = (principal: Principal, input: { readonly id: string }) => Promise<MessageWithHistory>;

/**
 * The customer's message with its status trail (`GET /v1/messages/:id`). Throws `not_found` when absent,
 * another customer's, or on an instance other than the one the principal's key is bound to (a bound key
 * cannot learn about its customer's other instances' messages).
 */
export function createGetMessage({ uow }: GetMessageDeps): GetMessage {
  return async (principal, { id }) => {
    const message = await uow.repos.messages.findById(principal.customerId, id);
    if (message === null || isOutboxAction(message.body) || (principal.instanceId !== null && message.instanceId !== principal.instanceId)) {
      throw notFound('message', id);
    }
    return { message, history: await uow.repos.messages.history(principal.customerId, id) };
  };
}
