import type { DomainEventOf } from '../../events/index.js';
import type { Message, MessageError } from '../message.js';
import { isOutboxAction } from './outbox-action.js';

/** `action.failed` for an outbox action WhatsApp refused, or that could not be performed in time. */
export function actionEvent(name: 'action.failed', action: Message, occurredAt: Date, error: MessageError): DomainEventOf<'action.failed'> {
  return {
    customerId: action.customerId,
    instanceId: action.instanceId,
    name,
    occurredAt,
    data: {
      action_id: action.id,
      type: isOutboxAction(action.body) ? action.body.action.type : 'unknown',
      target: action.recipient,
      error: { code: error.code, message: error.message },
    },
  };
}
