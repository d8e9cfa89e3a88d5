import type { OutboundContent, SendOptions } from './whatsapp-content.js';
import { WhatsAppSendError } from './whatsapp-session.js';
import type { LiveSessions } from './live-sessions.js';

export interface SessionSender {
  /**
   * Sends through the instance's live session (the message queue's worker calls this). Throws
   * WhatsAppSendError: `not_connected` (retryable) when no session of that customer's instance runs in
   * this process, else whatever the session's `send` throws.
   */
  send(
    instance: { readonly customerId: string; readonly id: string },
    to: string,
    content: OutboundContent,
    options?: SendOptions,
  ): Promise<{ readonly whatsappId: string }>;
  /** Whether this process runs a session for the instance. */
  isLive(instanceId: string): boolean;
}

export function createSessionSender(deps: { live: LiveSessions }): SessionSender {
  return {
    async send(instance, to, content, options) {
      const entry = deps.live.get(instance.id);
      if (entry === undefined || entry.instance.customerId !== instance.customerId) {
        throw new WhatsAppSendError('not_connected', 'No session runs for this instance in this process.', true);
      }
      return entry.session.send(to, content, options);
    },
    isLive: (instanceId) => deps.live.get(instanceId) !== undefined,
  };
}
