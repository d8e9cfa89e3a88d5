import { parseWithSchema, type Principal } from '../shared/index.js';
import { normalizeRecipient, type Message, type StageOutboxAction } from '../messages/index.js';
import { PresenceSubscriptionBody } from './schemas/chat-schemas.js';

export type SubscribePresence = (
  principal: Principal,
  input: { readonly instanceId: string; readonly chatId: string; readonly idempotencyKey?: string | null | undefined },
) => Promise<{ action: Message; created: boolean }>;

/**
 * Asks WhatsApp to report a chat's presence (`POST …/presence/subscriptions`); the reports arrive as
 * `presence.updated`. Staged in the outbox. Throws invalid_input, not_found, forbidden, not_connected,
 * idempotency_conflict.
 */
export function createSubscribePresence(deps: { readonly stageOutboxAction: StageOutboxAction }): SubscribePresence {
  return async (principal, input) => {
    const body = parseWithSchema(PresenceSubscriptionBody, { chat_id: input.chatId });
    const chat = normalizeRecipient(body.chat_id, 'chat_id');
    return deps.stageOutboxAction(principal, {
      instanceId: input.instanceId,
      action: { type: 'subscribe_presence', chat },
      target: chat,
      idempotencyKey: input.idempotencyKey,
    });
  };
}
