import { DomainError, parseWithSchema, type Principal } from '../shared/index.js';
import { normalizeRecipient, type Message, type StageOutboxAction } from '../messages/index.js';
import { PresenceBody } from './schemas/chat-schemas.js';

export type SetPresence = (
  principal: Principal,
  input: { readonly instanceId: string; readonly state: string; readonly chatId?: string | undefined; readonly idempotencyKey?: string | null | undefined },
) => Promise<{ action: Message; created: boolean }>;

/**
 * Shows the instance online or offline, or typing / recording / stopped in a chat (`POST …/presence`), staged in
 * the outbox. Throws invalid_input (an unknown state, typing without a chat), not_found, forbidden,
 * not_connected, idempotency_conflict.
 */
export function createSetPresence(deps: { readonly stageOutboxAction: StageOutboxAction }): SetPresence {
  return async (principal, input) => {
    const body = parseWithSchema(PresenceBody, { state: input.state, chat_id: input.chatId });
    const chat = body.chat_id === undefined ? null : normalizeRecipient(body.chat_id, 'chat_id');
    if (chat === null && body.state !== 'available' && body.state !== 'unavailable') {
      throw new DomainError('invalid_input', `chat_id: ${body.state} is shown in a chat; give its chat_id.`, { field: 'chat_id' });
    }
    return deps.stageOutboxAction(principal, {
      instanceId: input.instanceId,
      action: { type: 'presence', state: body.state, chat },
      target: chat ?? 'me',
      idempotencyKey: input.idempotencyKey,
    });
  };
}
