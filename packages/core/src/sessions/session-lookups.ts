/*
 * Live lookups on the session that owns an instance, bounded by a deadline: the one way a request handler
 * asks WhatsApp something and waits for the answer (contacts, LIDs, profiles; later groups and chats).
 *
 * The answer is synchronous for the caller, so it must not hang on a slow or silent phone: past the deadline
 * the caller gets `upstream_timeout` (the lookup itself is abandoned, not cancelled; its late answer is
 * dropped). Without a session in this process, when another node runs the instance, the answer is
 * `unavailable` (reason `owned_elsewhere`), which the HTTP edge forwards to that node; otherwise, without a
 * connected session here, it is `not_connected` at once: a lookup never starts a session and never waits
 * for one to connect.
 */
import { DomainError, isDomainError } from '../shared/index.js';
import type { LiveSessions } from './live-sessions.js';
import type { WhatsAppDirectory } from './whatsapp-directory.js';
import type { WhatsAppGroups } from './whatsapp-groups.js';
import { isWhatsAppSendError } from './whatsapp-session.js';

export interface LookupOptions {
  /** How long WhatsApp may take to answer; the lookups' default otherwise. */
  readonly deadlineMs?: number;
}

export interface SessionLookups {
  /**
   * Runs `query` against the directory of the instance's live, connected session. Throws
   * DomainError `not_connected` (no connected session of that customer's instance here, or the connection
   * dropped meanwhile), `upstream_timeout` (no answer within the deadline), `unavailable` (WhatsApp failed
   * to answer; or reason `owned_elsewhere`: another node runs the session), or a DomainError the query
   * threw itself.
   */
  lookup<T>(
    instance: { readonly customerId: string; readonly id: string },
    query: (directory: WhatsAppDirectory, groups: WhatsAppGroups) => Promise<T>,
    options?: LookupOptions,
  ): Promise<T>;
}

const notConnected = (instanceId: string) =>
  new DomainError('not_connected', 'The instance has no connected WhatsApp session; connect it first.', { instance_id: instanceId });

export function createSessionLookups(deps: {
  readonly live: LiveSessions;
  readonly deadlineMs: number;
  /** Throws DomainError('unavailable', reason `owned_elsewhere`) when another node runs the instance. */
  readonly assertNotElsewhere?: (instanceId: string) => Promise<void>;
}): SessionLookups {
  return {
    async lookup(instance, query, options = {}) {
      const entry = deps.live.get(instance.id);
      if (entry === undefined) await deps.assertNotElsewhere?.(instance.id);
      if (entry === undefined || entry.instance.customerId !== instance.customerId || entry.session.status !== 'connected') {
        throw notConnected(instance.id);
      }
      const deadlineMs = options.deadlineMs ?? deps.deadlineMs;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new DomainError('upstream_timeout', `WhatsApp did not answer within ${deadlineMs} ms.`, { deadline_ms: deadlineMs })),
          deadlineMs,
        );
      });
      const answer = query(entry.session.directory, entry.session.groups);
      answer.catch(() => undefined); // a late failure after the deadline is nobody's to handle
      try {
        return await Promise.race([answer, deadline]);
      } catch (error) {
        if (isDomainError(error)) throw error;
        if (isWhatsAppSendError(error) && error.code === 'not_connected') throw notConnected(instance.id);
        if (isWhatsAppSendError(error) && error.code === 'timeout') {
          throw new DomainError('upstream_timeout', 'WhatsApp did not answer in time.', { deadline_ms: deadlineMs });
        }
        throw new DomainError('unavailable', 'WhatsApp could not answer the lookup; try again.');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
