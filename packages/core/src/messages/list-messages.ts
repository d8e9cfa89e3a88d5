import {
  DomainError,
  toPageRequest,
  type Principal,
  type Page,
  type UnitOfWork,
  type PageInput,
} from '../shared/index.js';
import { MESSAGE_STATUSES, type Message, type MessageStatus } from './message.js';
import type { MessageRepositories } from './message-repositories.js';
import { assertInstanceAllowed } from '../instances/index.js';

export interface ListMessagesDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
}

export interface ListMessagesInput extends PageInput {
  readonly instanceId?: string | undefined;
  readonly status?: MessageStatus | undefined;
}

export type ListMessages = (principal: Principal, input?: ListMessagesInput) => Promise<Page<Message>>;

/**
 * The customer's messages, newest first, optionally of one instance and status; a key bound to an instance
 * sees only that instance's. Throws `invalid_input` for a bad limit or status, `forbidden` when a bound key
 * asks for another instance.
 */
export function createListMessages({ uow }: ListMessagesDeps): ListMessages {
  return async (principal, input = {}) => {
    const page = toPageRequest(input);
    if (input.status !== undefined && !MESSAGE_STATUSES.includes(input.status)) {
      throw new DomainError('invalid_input', `status must be one of ${MESSAGE_STATUSES.join(', ')}.`, { field: 'status' });
    }
    if (input.instanceId !== undefined) assertInstanceAllowed(principal, input.instanceId);
    const instanceId = input.instanceId ?? principal.instanceId ?? undefined;
    return uow.repos.messages.list(principal.customerId, page, {
      ...(instanceId !== undefined && { instanceId }),
      ...(input.status !== undefined && { status: input.status }),
    });
  };
}
