import { DomainError, notFound, type Principal } from '../../shared/index.js';
import type { Message } from '../message.js';
import type { MessageRepositories } from '../message-repositories.js';
import { isOutboxAction } from '../outbox/outbox-action.js';

/**
 * The principal's message `id` that WhatsApp accepted (it has a WhatsApp id), for an operation on it. Throws
 * not_found (absent, another customer's, an action, or on an instance a bound key may not see) and conflict
 * (`what` cannot be done to a message that is still queued or failed).
 */
export async function sentMessageInScope(repos: MessageRepositories, principal: Principal, id: string, what: string): Promise<Message & { whatsappId: string }> {
  const message = await repos.messages.findById(principal.customerId, id);
  if (message === null || isOutboxAction(message.body) || (principal.instanceId !== null && message.instanceId !== principal.instanceId)) {
    throw notFound('message', id);
  }
  if (message.whatsappId === null) {
    const why = message.status === 'failed' ? 'it failed and was never sent' : 'it has not been sent yet';
    throw new DomainError('conflict', `The message cannot be ${what}: ${why}.`, { message_id: id, status: message.status });
  }
  return message as Message & { whatsappId: string };
}
