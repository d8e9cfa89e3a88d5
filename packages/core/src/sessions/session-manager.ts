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
 *
 * With `ownership` (several nodes share the instances), a session starts only under the instance's lease:
 * the start claims it first, and a lease held by another live node is DomainError('unavailable'). Every
 * write the session makes carries the lease's fence (see instance-transitioner.ts), the lease is freed when
 * the session ends for good, and `adopt` / `handOver` / `drop` are what the node keeper moves instances
 * with (see ../cluster/node-keeper.ts). Without it, this process runs every session, as a single node does.
 */
import { DomainError, type Actor, type Clock, type UnitOfWork } from '../shared/index.js';
import type { Instance, InstanceRepositories } from '../instances/index.js';
import type { LeaseFence, NodeSessions, SessionOwnership } from '../cluster/index.js';
import type { EventPreparer, EventRecorder } from '../events/index.js';
import type { SessionEvent } from './whatsapp-session.js';
import { createInstanceTransitioner } from './instance-transitioner.js';
import { createLiveSessions, type LiveSession, type SessionFactories } from './live-sessions.js';
import { createSessionEventHandler, type SessionTrafficHandlers } from './session-event-handler.js';
import { createSessionRequests, type SessionRequests } from './session-requests.js';
import { resumeSessions, type ResumeReport } from './resume-sessions.js';
import { createSandboxControls, type SandboxControls } from './sandbox-controls.js';
import { createSessionSender, type SessionSender } from './session-sender.js';
import { createSessionLookups, type SessionLookups } from './session-lookups.js';
import type { SentMessageLookup } from './sent-message-lookup.js';

export interface SessionManagerDeps extends SessionTrafficHandlers {
  readonly uow: UnitOfWork<InstanceRepositories>;
  readonly events: EventRecorder & EventPreparer;
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
  /** This node's leases, when several nodes run sessions; absent on a single node. */
  readonly ownership?: SessionOwnership;
  /** The instance's sent messages, for the sandbox's injected reactions, edits, votes and receipts. */
  readonly sentMessages?: SentMessageLookup;
}

export interface SessionManager extends SessionRequests, SandboxControls, SessionSender, SessionLookups, NodeSessions {
  /**
   * Stops the instance's session, if one runs here; with `logout` also logs out of WhatsApp and wipes the
   * credentials (instance deletion), also when no session runs. Changes no status. Never throws for an
   * instance without a session.
   */
  stop(instanceId: string, opts: { logout: boolean }): Promise<void>;
  /**
   * Resumes every paired instance (process start of a single node), or the given ones (the node keeper),
   * staggered, without a QR. Resolves when done or closed.
   */
  resumeAll(instances?: readonly Instance[]): Promise<ResumeReport>;
  adopt(instances: readonly Instance[], options: { readonly soleNode: boolean }): Promise<ResumeReport>;
  /** Closes every session without logging out and refuses new ones; waits for in-flight event handling. */
  closeAll(): Promise<void>;
  /**
   * Whether another node holds the instance's lease (with ownership): its outbox and the requests that need
   * its socket belong there. False on a single node and when this node runs the session.
   */
  runsElsewhere(instanceId: string): Promise<boolean>;
  /** Live sessions in this process and the cap (readiness, metrics). */
  stats(): { readonly live: number; readonly max: number };
}

export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  const onError = deps.onError ?? (() => undefined);
  const { ownership } = deps;
  const live = createLiveSessions({ factories: deps.factories, maxSessions: deps.maxSessions });
  const transition = createInstanceTransitioner({ uow: deps.uow, events: deps.events, clock: deps.clock });
  const pauses = new Set<() => void>();

  /** Frees the instance's lease once its session ended here, unless a new session of it started meanwhile. */
  async function release(instanceId: string): Promise<void> {
    if (ownership !== undefined && live.get(instanceId) === undefined) await ownership.release(instanceId);
  }

  /** Whether another node holds the instance's lease (and so runs its session, or will once it is live). */
  async function runsElsewhere(instanceId: string): Promise<boolean> {
    if (ownership === undefined || live.get(instanceId) !== undefined) return false;
    const lease = await deps.uow.repos.leases.find(instanceId);
    return lease !== null && lease.nodeId !== null && lease.nodeId !== ownership.nodeId && lease.expiresAt > deps.clock.now();
  }

  /** Throws DomainError('unavailable', reason `owned_elsewhere`) when another node holds the instance's lease. */
  async function assertNotElsewhere(instanceId: string): Promise<void> {
    if (await runsElsewhere(instanceId)) throw elsewhere();
  }

  const onEvent = createSessionEventHandler({ ...deps, live, transition, onError, release });

  /**
   * Starts the instance's session unless one runs; returns whether it started one. The lease is claimed
   * first (with ownership); `before` (a status transition, given the lease's fence) runs after the slot is
   * taken and before connecting, so a refused start changes nothing.
   */
  async function start(instance: Instance, before?: (fence: LeaseFence | null) => Promise<unknown>): Promise<boolean> {
    const ref = { id: instance.id, customerId: instance.customerId, kind: instance.kind };
    const { entry, created } = live.ensure(ref, onEvent);
    if (!created) return false;
    try {
      if (ownership !== undefined) {
        entry.fence = await ownership.claim(instance.id);
        if (entry.fence === null) throw elsewhere();
      }
      await before?.(entry.fence);
      await entry.session.connect();
    } catch (error) {
      if (live.isCurrent(entry)) live.detach(instance.id);
      await entry.session.close().catch(() => undefined);
      if (entry.fence !== null) await release(instance.id).catch(() => undefined);
      throw error;
    }
    return true;
  }

  /** Closes a detached session without logout and waits for the events it was handling. */
  async function closeDetached(entry: LiveSession, reason: DomainError): Promise<void> {
    entry.qr.fail(reason);
    await entry.session.close().catch((error: unknown) => onError(error, { instanceId: entry.instance.id, event: 'stop' }));
    await entry.queue;
  }

  async function stop(instanceId: string, { logout }: { logout: boolean }): Promise<void> {
    const entry = live.detach(instanceId);
    entry?.qr.fail(new DomainError('not_found', 'The instance was deleted.'));
    if (entry !== undefined) {
      await (logout ? entry.session.logout() : entry.session.close());
      await release(instanceId);
      return;
    }
    if (logout) {
      for (const factory of Object.values(deps.factories)) await factory.wipeCredentials(instanceId);
    }
    await release(instanceId);
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

  /** A resumable row without credentials becomes disconnected, under its lease when leases are used. */
  async function invalidate(instance: Instance): Promise<boolean> {
    const fence = ownership === undefined ? null : await ownership.claim(instance.id);
    if (ownership !== undefined && fence === null) return false;
    const ref = { customerId: instance.customerId, id: instance.id };
    await transition({ instance: ref, actor: SYSTEM, to: 'disconnected', reason: 'session_invalidated', fence });
    await release(instance.id);
    return true;
  }

  return {
    ...createSessionRequests({
      uow: deps.uow,
      live,
      transition,
      factories: deps.factories,
      start,
      release,
      assertNotElsewhere,
      qrWaitMs: deps.qrWaitMs ?? 10_000,
    }),
    ...createSandboxControls({ uow: deps.uow, live, assertNotElsewhere, sentMessages: deps.sentMessages }),
    ...createSessionSender({ live, ownership }),
    ...createSessionLookups({ live, deadlineMs: deps.lookupDeadlineMs ?? 10_000, assertNotElsewhere }),
    stop,
    runsElsewhere,
    async adopt(instances, { soleNode }) {
      return resumeAllOf(instances, soleNode);
    },
    async handOver(instanceId) {
      const entry = live.detach(instanceId);
      if (entry !== undefined) await closeDetached(entry, new DomainError('unavailable', 'The session moved to another server; try again.'));
      await release(instanceId);
    },
    retire: (instanceId) => stop(instanceId, { logout: true }),
    async drop(instanceId) {
      const entry = live.detach(instanceId);
      if (entry !== undefined) await closeDetached(entry, new DomainError('unavailable', 'The session stopped here; try again shortly.'));
    },
    resumeAll: (instances) => resumeAllOf(instances),
    async closeAll() {
      const entries = live.closeAndDetachAll();
      for (const cancel of [...pauses]) cancel();
      const closing = new DomainError('unavailable', 'The server is shutting down; try again shortly.');
      await Promise.all(entries.map((entry) => closeDetached(entry, closing)));
    },
    stats: () => ({ live: live.size, max: deps.maxSessions }),
  };

  function resumeAllOf(instances?: readonly Instance[], soleNode = true): Promise<ResumeReport> {
    return resumeSessions({
        soleNode,
        uow: deps.uow,
        factories: deps.factories,
        ...(instances !== undefined ? { instances } : {}),
        invalidate,
        transition,
        start: async (instance, before) => void (await start(instance, before)),
        isLive: (instanceId) => live.get(instanceId) !== undefined,
        hasCapacity: () => !live.isClosed && live.size < deps.maxSessions,
        intervalMs: deps.resumeIntervalMs ?? 250,
        pause,
        onError,
    });
  }
}

const SYSTEM: Actor = { type: 'system' };

/**
 * Another node holds the lease. The HTTP edge forwards such a request to that node when it is live; what
 * reaches the caller is a 503 with `Retry-After`.
 */
const elsewhere = (): DomainError =>
  new DomainError('unavailable', "Another server runs this instance's session; try again shortly.", {
    reason: 'owned_elsewhere',
    retry_after_seconds: 1,
  });
