import type { SentMessageInfo, SentMessageLookup } from '../sessions/index.js';
import type { Message } from './message.js';
import type { MessageRepository } from './message-repository.js';
import { isOutboxAction } from './outbox/outbox-action.js';

/** The sessions' view of sent messages, over the message repository. */
export function createSentMessageLookup(messages: Pick<MessageRepository, 'findById' | 'findByWhatsappId'>): SentMessageLookup {
  return {
    async byId(customerId, instanceId, id) {
      const message = await messages.findById(customerId, id);
      return message === null || message.instanceId !== instanceId ? null : infoOf(message);
    },
    async byWhatsappId(instanceId, whatsappId) {
      const message = await messages.findByWhatsappId(instanceId, whatsappId);
      return message === null ? null : infoOf(message);
    },
  };
}

function infoOf(message: Message): SentMessageInfo | null {
  const { body } = message;
  if (isOutboxAction(body)) return null;
  return {
    id: message.id,
    whatsappId: message.whatsappId,
    chatId: message.recipient,
    type: body.type,
    poll: body.type === 'poll' ? { question: body.question, options: body.options, selectableCount: body.selectable_count ?? 1 } : null,
  };
}
