import type { LeaseFence, SessionOwnership } from '../cluster/index.js';
import type { OutboundContent, SendOptions } from './whatsapp-content.js';
import type { SessionAction } from './whatsapp-action.js';
import { WhatsAppSendError } from './whatsapp-session.js';
import type { LiveSessions } from './live-sessions.js';

export interface SessionSender {
  /**
   * Sends through the instance's live session (the message queue's worker calls this) and returns
   * WhatsApp's id with the lease fence the session sent under (null when sessions are not leased), for the
   * write that records the send. Throws WhatsAppSendError: `not_connected` (retryable) when no session of
   * that customer's instance runs in this process or its lease ran out here, else whatever the session's
   * `send` throws.
   */
  send(
    instance: { readonly customerId: string; readonly id: string },
    to: string,
    content: OutboundContent,
    options?: SendOptions,
  ): Promise<{ readonly whatsappId: string; readonly fence?: LeaseFence | null }>;
  /** Performs a staged action through the instance's live session; throws as `send`. */
  perform(instance: { readonly customerId: string; readonly id: string }, action: SessionAction): Promise<void>;
  /** Whether this process runs a session for the instance (under a lease it may still use, when leased). */
  isLive(instanceId: string): boolean;
}

export function createSessionSender(deps: { live: LiveSessions; ownership?: SessionOwnership | undefined }): SessionSender {
  /** The session, unless absent or (leased) its lease is no longer usable here: a late node must not send. */
  const usable = (instanceId: string) => {
    const entry = deps.live.get(instanceId);
    if (entry === undefined || deps.ownership === undefined) return entry;
    const fence = deps.ownership.fence(instanceId);
    return fence !== null && entry.fence !== null && fence.epoch === entry.fence.epoch ? entry : undefined;
  };
  const entryOf = (instance: { readonly customerId: string; readonly id: string }) => {
    const entry = usable(instance.id);
    if (entry === undefined || entry.instance.customerId !== instance.customerId) {
      throw new WhatsAppSendError('not_connected', 'No session runs for this instance in this process.', true);
    }
    return entry;
  };
  return {
    async send(instance, to, content, options) {
      const entry = entryOf(instance);
      const { whatsappId } = await entry.session.send(to, content, options);
      return { whatsappId, fence: entry.fence };
    },
    perform: async (instance, action) => entryOf(instance).session.perform(action),
    isLive: (instanceId) => usable(instanceId) !== undefined,
  };
}
