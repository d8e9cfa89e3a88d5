import type { DomainEvent, DomainEventOf } from '../../events/index.js';
import type { MessageRepositories } from '../message-repositories.js';
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

/**
 * What a performed action reports: an edit of one of our messages is `message.edited`, a revoke
 * `message.revoked` (with our `msg_` id, found by the WhatsApp id); the other actions report nothing.
 */
export async function performedActionEvents(repos: MessageRepositories, action: Message, at: Date): Promise<DomainEvent[]> {
  if (!isOutboxAction(action.body)) return [];
  const performed = action.body.action;
  if (performed.type !== 'edit' && performed.type !== 'revoke') return [];
  const target = await repos.messages.findByWhatsappId(action.instanceId, performed.target.whatsappId);
  const common = {
    message_id: target?.id ?? null,
    whatsapp_id: performed.target.whatsappId,
    chat_id: performed.target.chatId,
    is_group: performed.target.chatId.endsWith('@g.us'),
    from_me: true,
    // Done through the API on the integrator's behalf: no person to name.
    author: null,
  };
  const base = { customerId: action.customerId, instanceId: action.instanceId, occurredAt: at } as const;
  return performed.type === 'edit'
    ? [{ ...base, name: 'message.edited', data: { ...common, text: performed.text, edited_at: at.toISOString() } }]
    : [{ ...base, name: 'message.revoked', data: { ...common, revoked_at: at.toISOString() } }];
}
