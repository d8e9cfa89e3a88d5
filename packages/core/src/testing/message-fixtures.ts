import type { NewMessage } from '../messages/index.js';
import { newId } from '../shared/index.js';

/**
 * A queued text message ready to stage, for repository tests. Times are whole seconds (every store keeps
 * them exactly); override anything.
 */
export function aNewMessage(customerId: string, instanceId: string, overrides: Partial<NewMessage> = {}): NewMessage {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  return {
    id: newId('message'),
    customerId,
    instanceId,
    recipient: '4915112345678@s.whatsapp.net',
    body: { type: 'text', text: 'hello' },
    replyTo: null,
    clientRef: null,
    idempotencyKey: null,
    requestHash: 'h1',
    status: 'queued',
    whatsappId: null,
    error: null,
    attemptCount: 0,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
