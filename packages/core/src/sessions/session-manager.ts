/*
 * The session manager owns the WhatsApp sessions of this process: it starts a session lazily on the first
 * connect, QR or pairing-code request, resumes paired instances on process start, enforces the per-process
 * session cap, and closes everything on shutdown without logging out. Sessions are made by the factory of
 * the instance's kind (`factories.whatsapp`: a real phone, `factories.sandbox`: the simulated one), both
 * injected. Session events become instance transitions (see
 * session-event-handler.ts); the requests below check the lifecycle table first (instance-lifecycle.ts).
 *
 * Request-driven transitions are audited with the acting key: connect of a pending or disconnected
 * instance (→ connecting), logout (→ disconnected, reason `logout`), restart of a connected one
 * (→ reconnecting, reason `restart`). Everything a session reports afterwards is audited as `system`.
 * Deleting an instance (`stop`) changes no status: the row is being soft-deleted by the caller.
 */
import { DomainError, type Clock, type UnitOfWork } from '../shared/index.js';
import type { Instance, InstanceRepositories } from '../instances/index.js';
import type { EventRecorder } from '../events/index.js';
import type { SessionEvent } from './whatsapp-session.js';
import { createInstanceTransitioner } from './instance-transitioner.js';
import { createLiveSessions, type SessionFactories } from './live-sessions.js';
import { createSessionEventHandler, type SessionTrafficHandlers } from './session-event-handler.js';
import { createSessionRequests, type SessionRequests } from './session-requests.js';
import { resumeSessions, type ResumeReport } from './resume-sessions.js';
import { createSandboxControls, type SandboxControls } from './sandbox-controls.js';
import { createSessionSender, type SessionSender } from './session-sender.js';
import { createSessionLookups, type SessionLookups } from './session-lookups.js';

export interface SessionManagerDeps extends SessionTrafficHandlers {
  readonly uow: UnitOfWork<InstanceRepositories>;
  readonly events: EventRecorder;
  readonly clock: Clock;
  readonly factories: SessionFactories;
  /** Renders a QR string as a PNG data URL (`data:image/png;base64,...`). */
  readonly renderQrPng: (text: string) => Promise<string>;
  /** MAX_SESSIONS_PER_WORKER: more live sessions are refused with DomainError('worker_at_capacity'). */
  readonly maxSessions: number;
  /** How long `getQr` waits for a first QR by default; 10 s. */
  readonly qrWaitMs?: number;
  /** How long a live lookup waits for WhatsApp by default; 10 s. */
  readonly lookupDeadlineMs?: number;
  /** Gap between two session starts in `resumeAll`; 250 ms (4 per second). */
  readonly resumeIntervalMs?: number;
  /** Errors the manager absorbs (handling a session event, resuming one instance); log them. */
  readonly onError?: (error: unknown, context: { instanceId: string; event: SessionEvent['type'] | 'resume' | 'stop' }) => void;
}

export interface SessionManager extends SessionRequests, SandboxControls, SessionSender, SessionLookups {
  /**
   * Stops the instance's session, if one runs here; with `logout` also logs out of WhatsApp and wipes the
   * credentials (instance deletion), also when no session runs. Changes no status. Never throws for an
   * instance without a session.
   */
  stop(instanceId: string, opts: { logout: boolean }): Promise<void>;
  /** Resumes every paired instance (process start), staggered, without a QR. Resolves when done or closed. */
  resumeAll(): Promise<ResumeReport>;
  /** Closes every session without logging out and refuses new ones; waits for in-flight event handling. */
  closeAll(): Promise<void>;
  /** Live sessions in this process and the cap (readiness, metrics). */
  stats(): { readonly live: number; readonly max: number };
}

export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  const onError = deps.onError ?? (() => undefined);
  const live = createLiveSessions({ factories: deps.factories, maxSessions: deps.maxSessions });
  const transition = createInstanceTransitioner({ uow: deps.uow, events: deps.events, clock: deps.clock });
  const onEvent = createSessionEventHandler({ ...deps, live, transition, onError });
  const pauses = new Set<() => void>();

  /**
   * Starts the instance's session unless one runs; returns whether it started one. `before` (a status
   * transition) runs after the slot is taken and before connecting, so a refused start changes nothing.
   */
  async function start(instance: Instance, before?: () => Promise<unknown>): Promise<boolean> {
    const ref = { id: instance.id, customerId: instance.customerId, kind: instance.kind };
    const { entry, created } = live.ensure(ref, onEvent);
    if (!created) return false;
    try {
      await before?.();
      await entry.session.connect();
    } catch (error) {
      if (live.isCurrent(entry)) live.detach(instance.id);
      await entry.session.close().catch(() => undefined);
      throw error;
    }
    return true;
  }

  async function stop(instanceId: string, { logout }: { logout: boolean }): Promise<void> {
    const entry = live.detach(instanceId);
    entry?.qr.fail(new DomainError('not_found', 'The instance was deleted.'));
    if (entry !== undefined) {
      await (logout ? entry.session.logout() : entry.session.close());
      return;
    }
    if (logout) {
      for (const factory of Object.values(deps.factories)) await factory.wipeCredentials(instanceId);
    }
  }

  function pause(ms: number): Promise<boolean> {
    if (live.isClosed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (finished: boolean) => {
        clearTimeout(timer);
        pauses.delete(cancel);
        resolve(finished);
      };
      const cancel = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      pauses.add(cancel);
    });
  }

  return {
    ...createSessionRequests({
      uow: deps.uow,
      live,
      transition,
      factories: deps.factories,
      start,
      qrWaitMs: deps.qrWaitMs ?? 10_000,
    }),
    ...createSandboxControls({ uow: deps.uow, live }),
    ...createSessionSender({ live }),
    ...createSessionLookups({ live, deadlineMs: deps.lookupDeadlineMs ?? 10_000 }),
    stop,
    resumeAll: () =>
      resumeSessions({
        uow: deps.uow,
        factories: deps.factories,
        transition,
        start: async (instance, before) => void (await start(instance, before)),
        isLive: (instanceId) => live.get(instanceId) !== undefined,
        hasCapacity: () => !live.isClosed && live.size < deps.maxSessions,
        intervalMs: deps.resumeIntervalMs ?? 250,
        pause,
        onError,
      }),
    async closeAll() {
      const entries = live.closeAndDetachAll();
      for (const cancel of [...pauses]) cancel();
      const closing = new DomainError('unavailable', 'The server is shutting down; try again shortly.');
      await Promise.all(
        entries.map(async (entry) => {
          entry.qr.fail(closing);
          await entry.session.close().catch((error: unknown) => onError(error, { instanceId: entry.instance.id, event: 'stop' }));
          await entry.queue;
        }),
      );
    },
    stats: () => ({ live: live.size, max: deps.maxSessions }),
  };
}
