/*
 * The lifecycle requests an API caller makes (connect, QR, pairing code, logout, restart). Each one finds
 * the instance in the caller's scope (another customer's id is not_found), checks the request against the
 * lifecycle table, then drives the live session. See instance-lifecycle.ts for which request is legal when.
 */
import { actorOf, DomainError, notFound, type Principal, type UnitOfWork } from '../shared/index.js';
import { findInstanceInScope, type Instance, type InstanceRepositories } from '../instances/index.js';
import { assertRequestAllowed, illegalRequest, type LifecycleRequest } from './instance-lifecycle.js';
import type { InstanceTransitioner } from './instance-transitioner.js';
import type { LiveSessions, SessionFactories } from './live-sessions.js';
import type { Qr } from './qr-slot.js';
import type { LeaseFence } from '../cluster/index.js';

export interface SessionRequests {
  /**
   * Starts the instance's session (pairing, or resuming from credentials) and returns the instance.
   * Idempotent while pairing or reconnecting. Throws not_found, forbidden, invalid_lifecycle_transition
   * (already connected with a live session), worker_at_capacity.
   */
  connect(principal: Principal, id: string): Promise<Instance>;
  /**
   * The QR to scan, starting the session when needed: the current one at once, else the next within
   * `waitMs` (default the manager's 10 s). Throws no_qr (connected or reconnecting), unavailable (no QR in
   * time), invalid_lifecycle_transition (the pairing ended meanwhile), not_found, forbidden,
   * worker_at_capacity.
   */
  getQr(principal: Principal, id: string, opts?: { waitMs?: number }): Promise<Qr>;
  /**
   * What a pairing page shows when it opens: the instance and the QR its live session shows now (null when
   * none is live). Starts nothing and waits for nothing: the page follows `qr.updated` for what comes next.
   * Throws not_found, forbidden.
   */
  pairingState(principal: Principal, id: string): Promise<PairingState>;
  /** An 8-character code to type on the phone instead of scanning. Throws as `connect`, plus invalid_input. */
  requestPairingCode(principal: Principal, id: string, phoneNumber: string): Promise<{ code: string }>;
  /** Logs out of WhatsApp and wipes the credentials; the instance becomes disconnected (reason logout). */
  logout(principal: Principal, id: string): Promise<Instance>;
  /** Closes the socket without logging out and connects again. */
  restart(principal: Principal, id: string): Promise<Instance>;
}

export interface PairingState {
  readonly instance: Instance;
  readonly qr: Qr | null;
}

export interface SessionRequestsDeps {
  readonly uow: UnitOfWork<InstanceRepositories>;
  readonly live: LiveSessions;
  readonly transition: InstanceTransitioner;
  readonly factories: SessionFactories;
  /**
   * Starts the instance's session unless one runs (`before` runs once its slot and lease are taken). Throws
   * unavailable when another node runs it.
   */
  readonly start: (instance: Instance, before?: (fence: LeaseFence | null) => Promise<unknown>) => Promise<boolean>;
  /** Frees the instance's lease after its session ended here. */
  readonly release: (instanceId: string) => Promise<void>;
  /** Throws DomainError('unavailable') when another node runs the instance's session. */
  readonly assertNotElsewhere: (instanceId: string) => Promise<void>;
  readonly qrWaitMs: number;
}

export function createSessionRequests(deps: SessionRequestsDeps): SessionRequests {
  const { uow, live, transition } = deps;

  async function load(principal: Principal, id: string, request: LifecycleRequest): Promise<Instance> {
    const instance = await findInstanceInScope(uow.repos, principal, id);
    assertRequestAllowed(request, instance.status);
    return instance;
  }

  const reread = async (principal: Principal, id: string): Promise<Instance> =>
    (await uow.repos.instances.findById(principal.customerId, id)) ?? Promise.reject(notFound('instance', id));

  /** Starts the session; a pending or disconnected instance first becomes `connecting`, by the caller. */
  async function begin(principal: Principal, instance: Instance): Promise<void> {
    const fresh = instance.status === 'pending' || instance.status === 'disconnected';
    await deps.start(instance, async (fence) => {
      if (!fresh) return;
      await transition({
        instance: { customerId: instance.customerId, id: instance.id },
        actor: actorOf(principal),
        to: 'connecting',
        from: ['pending', 'disconnected'],
        fence,
      });
    });
  }

  return {
    async connect(principal, id) {
      const instance = await load(principal, id, 'connect');
      if (instance.status === 'connected' && live.get(id) !== undefined) throw illegalRequest('connect', 'connected');
      await begin(principal, instance);
      return reread(principal, id);
    },

    async getQr(principal, id, opts = {}) {
      const instance = await load(principal, id, 'qr');
      await begin(principal, instance);
      const entry = live.get(id);
      if (entry === undefined) return Promise.reject(illegalRequest('qr', (await reread(principal, id)).status));
      return entry.qr.next(opts.waitMs ?? deps.qrWaitMs);
    },

    async pairingState(principal, id) {
      const instance = await findInstanceInScope(uow.repos, principal, id);
      // Only a pairing instance shows a QR; a stale one must not linger beside "Connected".
      const qr = instance.status === 'connected' ? null : (live.get(id)?.qr.current ?? null);
      return { instance, qr };
    },

    async requestPairingCode(principal, id, phoneNumber) {
      const instance = await load(principal, id, 'pair_code');
      await begin(principal, instance);
      const entry = live.get(id);
      if (entry === undefined) throw illegalRequest('pair_code', (await reread(principal, id)).status);
      return { code: await entry.session.requestPairingCode(phoneNumber) };
    },

    async logout(principal, id) {
      const instance = await load(principal, id, 'logout');
      await deps.assertNotElsewhere(id);
      const entry = live.detach(id);
      const result = await transition({
        instance: { customerId: instance.customerId, id },
        actor: actorOf(principal),
        to: 'disconnected',
        reason: 'logout',
        from: ['qr_required', 'connecting', 'connected', 'reconnecting'],
        fence: entry?.fence ?? null,
      });
      if (entry !== undefined) {
        entry.qr.fail(new DomainError('invalid_lifecycle_transition', 'The instance was logged out; connect again.'));
        await entry.session.logout();
        await deps.release(id);
      } else {
        await deps.factories[instance.kind].wipeCredentials(id);
      }
      return result?.instance ?? reread(principal, id);
    },

    async restart(principal, id) {
      const instance = await load(principal, id, 'restart');
      await deps.assertNotElsewhere(id);
      const entry = live.detach(id);
      if (entry !== undefined) {
        entry.qr.fail(new DomainError('unavailable', 'The session was restarted; ask for the QR code again.'));
        await entry.session.close();
      }
      // The lease stays with this node across the restart: the new session claims it again (a renewal).
      await deps.start(instance, async (fence) => {
        if (instance.status !== 'connected') return;
        await transition({
          instance: { customerId: instance.customerId, id },
          actor: actorOf(principal),
          to: 'reconnecting',
          reason: 'restart',
          from: ['connected'],
          fence,
        });
      });
      return reread(principal, id);
    },
  };
}
