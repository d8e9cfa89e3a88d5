/*
 * The simulated phone's controls, reachable over HTTP for sandbox instances only
 * (`POST /v1/instances/:id/sandbox/scan` and `/sandbox/inbound`).
 */
import { DomainError, type Principal, type UnitOfWork } from '../shared/index.js';
import type { CallUpdate, InboundMessage, StoryView } from './whatsapp-content.js';
import type { SandboxEventInput } from './sandbox-calls.js';
import { findInstanceInScope, type InstanceRepositories } from '../instances/index.js';
import type { SandboxInboundInput } from './sandbox-session.js';
import type { SandboxGroupEvent } from './sandbox-groups.js';
import type { GroupEvent } from './whatsapp-groups.js';
import type { LiveSessions } from './live-sessions.js';
import type { InjectedChange } from './sandbox-change.js';
import { resolveSandboxChange, type SandboxChangeRequest } from './resolve-sandbox-change.js';
import type { SentMessageLookup } from './sent-message-lookup.js';

export interface SandboxControls {
  /**
   * Completes the sandbox instance's pairing now, as if its QR were scanned. Throws not_found, forbidden,
   * invalid_input (not a sandbox instance), invalid_lifecycle_transition (no QR showing: connect first),
   * unavailable (another node runs the session).
   */
  sandboxScan(principal: Principal, id: string): Promise<void>;
  /**
   * Delivers a simulated inbound message, which reaches `onInbound` like a real one. Throws not_found,
   * forbidden, invalid_input (not a sandbox instance, malformed `from`), not_connected, unavailable
   * (another node runs the session).
   */
  sandboxInbound(principal: Principal, id: string, input: SandboxInboundInput): Promise<InboundMessage>;
  /**
   * Delivers a simulated reaction, edit, revoke, poll vote or played receipt about a message of the chat, by
   * the rules of resolve-sandbox-change.ts. Throws as `sandboxInbound` does, plus not_found, conflict and
   * invalid_input for a message the rules refuse.
   */
  sandboxChange(principal: Principal, id: string, request: SandboxChangeRequest): Promise<InjectedChange>;
  /**
   * Makes the simulated phone report a call, the end of one, or a view of a status post. Throws as
   * `sandboxInbound`, and not_found for ending a call that is not ringing.
   */
  sandboxEvent(principal: Principal, id: string, input: SandboxEventInput): Promise<CallUpdate | StoryView>;
  /**
   * Plays what another person did in one of the sandbox number's groups (sandbox-groups.ts), reported like a
   * phone reports it. Throws not_found (also an unknown group), forbidden, invalid_input, not_connected, unavailable.
   */
  sandboxGroupEvent(principal: Principal, id: string, input: SandboxGroupEvent): Promise<GroupEvent>;
}

export function createSandboxControls(deps: {
  uow: UnitOfWork<InstanceRepositories>;
  live: LiveSessions;
  /** Throws DomainError('unavailable') when another node runs the instance's session. */
  assertNotElsewhere: (instanceId: string) => Promise<void>;
  /** Resolves the messages injected changes name; without it every id is someone else's message. */
  sentMessages?: SentMessageLookup | undefined;
}): SandboxControls {
  async function sandboxOf(principal: Principal, id: string) {
    const instance = await findInstanceInScope(deps.uow.repos, principal, id);
    if (instance.kind !== 'sandbox') {
      throw new DomainError('invalid_input', 'This is not a sandbox instance.', { kind: instance.kind });
    }
    await deps.assertNotElsewhere(id);
    return { instance, session: deps.live.get(id)?.sandbox ?? null };
  }

  /**
   * Resolves once the session's events queued so far have been handled: an injection answers after what it
   * made happen was recorded, so a test (or a client) that acts on it next, e.g. rejects the call it just
   * injected, never races the recording.
   */
  async function handled<T>(id: string, injected: T): Promise<T> {
    await deps.live.get(id)?.queue;
    return injected;
  }

  return {
    async sandboxScan(principal, id) {
      const { instance, session } = await sandboxOf(principal, id);
      if (session === null) {
        throw new DomainError('invalid_lifecycle_transition', 'There is no QR to scan: connect the instance first.', {
          status: instance.status,
        });
      }
      await session.scan();
    },
    async sandboxInbound(principal, id, input) {
      const { instance, session } = await sandboxOf(principal, id);
      if (session === null) {
        throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status: instance.status });
      }
      return handled(id, await session.injectInbound(input));
    },
    async sandboxChange(principal, id, request) {
      const { instance, session } = await sandboxOf(principal, id);
      if (session === null) {
        throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status: instance.status });
      }
      return handled(id, await session.injectChange(await resolveSandboxChange(instance, request, deps.sentMessages)));
    },
    async sandboxEvent(principal, id, input) {
      const { instance, session } = await sandboxOf(principal, id);
      if (session === null) {
        throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status: instance.status });
      }
      return handled(id, await session.injectEvent(input));
    },
    async sandboxGroupEvent(principal, id, input) {
      const { instance, session } = await sandboxOf(principal, id);
      if (session === null) {
        throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status: instance.status });
      }
      return handled(id, await session.injectGroupEvent(input));
    },
  };
}
