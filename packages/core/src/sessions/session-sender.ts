import type { OutboundContent, SendOptions } from './whatsapp-content.js';
import type { SessionAction } from './whatsapp-action.js';
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
  /** Performs a staged action through the instance's live session; throws as `send`. */
  perform(instance: { readonly customerId: string; readonly id: string }, action: SessionAction): Promise<void>;
  /** Whether this process runs a session for the instance. */
  isLive(instanceId: string): boolean;
}

export function createSessionSender(deps: { live: LiveSessions }): SessionSender {
  const sessionOf = (instance: { readonly customerId: string; readonly id: string }) => {
    const entry = deps.live.get(instance.id);
    if (entry === undefined || entry.instance.customerId !== instance.customerId) {
      throw new WhatsAppSendError('not_connected', 'No session runs for this instance in this process.', true);
    }
    return entry.session;
  };
  return {
    send: async (instance, to, content, options) => sessionOf(instance).send(to, content, options),
    perform: async (instance, action) => sessionOf(instance).perform(action),
    isLive: (instanceId) => deps.live.get(instanceId) !== undefined,
  };
}
