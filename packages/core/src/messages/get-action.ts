import { notFound, type Principal, type UnitOfWork } from '../shared/index.js';
import type { Message } from './message.js';
import type { MessageRepositories } from './message-repositories.js';
import { isOutboxAction } from './outbox/outbox-action.js';

export type GetAction = (principal: Principal, input: { readonly id: string }) => Promise<Message>;

/**
 * The customer's outbox action (`GET /v1/actions/:id`): a block, presence, read, edit or revoke staged with an
 * `act_` id, and where it stands. It is the same row the outbox keeps, so no storage of its own. Throws
 * `not_found` when absent, a message rather than an action, another customer's, or on an instance other than
 * the one the principal's key is bound to.
 */
export function createGetAction({ uow }: { readonly uow: UnitOfWork<MessageRepositories> }): GetAction {
  return async (principal, { id }) => {
    const action = await uow.repos.messages.findById(principal.customerId, id);
    if (action === null || !isOutboxAction(action.body) || (principal.instanceId !== null && action.instanceId !== principal.instanceId)) {
      throw notFound('action', id);
    }
    return action;
  };
}
