/*
 * The leases this node holds, as this node sees them. Each is valid locally until a deadline that is
 * conservative on purpose: counted from when the grant or renewal was *asked for* (not when it answered),
 * minus a margin (`ttlMs / 5`). So a node whose renewals fail, or that was paused, stops using its
 * sessions before the lease can have expired in Postgres, and before any other node can take over.
 *
 * `fence(id)` is what every session write carries; it is null once the local deadline passed, so the
 * caller refuses to send. Postgres checks the same fence again inside the write's transaction
 * (`SessionLeaseRepository.holds`): the local deadline keeps a late node quiet, the database check makes
 * sure that even a node that ignores it cannot commit anything.
 */
import type { Clock, UnitOfWork } from '../shared/index.js';
import type { LeaseFence } from './session-lease.js';
import type { LeaseRepositories } from './session-lease-repository.js';

export interface SessionOwnershipDeps {
  readonly uow: UnitOfWork<LeaseRepositories>;
  readonly clock: Clock;
  readonly nodeId: string;
  /** How long a grant or renewal lasts (SESSION_LEASE_TTL_MS). */
  readonly ttlMs: number;
}

export interface SessionOwnership {
  readonly nodeId: string;
  readonly ttlMs: number;
  /**
   * Takes (or renews) the instance's lease for this node. Returns its fence, or null when another node
   * holds it unexpired.
   */
  claim(instanceId: string): Promise<LeaseFence | null>;
  /** The fence of a lease this node holds and may still use now, or null (not held, or past its deadline). */
  fence(instanceId: string): LeaseFence | null;
  /** Frees the lease if this node still holds it, and forgets it. */
  release(instanceId: string): Promise<void>;
  /**
   * Renews every lease this node holds. Returns the ids it lost (no longer renewable: expired, or taken
   * by another node): they are forgotten. Throws when Postgres cannot be reached; the leases then run out
   * locally (`expired`).
   */
  renew(): Promise<{ readonly lost: string[] }>;
  /** Ids whose local deadline passed (renewals failed for too long); they are forgotten. */
  takeExpired(): string[];
  /** Frees every lease of this node (it is stopping) and forgets them. */
  releaseAll(): Promise<void>;
  /** Ids of the leases this node holds, valid or not. */
  held(): string[];
}

export function createSessionOwnership(deps: SessionOwnershipDeps): SessionOwnership {
  const { uow, clock, nodeId, ttlMs } = deps;
  const margin = Math.floor(ttlMs / 5);
  const leases = new Map<string, { fence: LeaseFence; validUntil: number }>();

  const term = () => {
    const at = clock.now();
    return { at, until: new Date(at.getTime() + ttlMs), validUntil: at.getTime() + ttlMs - margin };
  };

  return {
    nodeId,
    ttlMs,
    async claim(instanceId) {
      const { at, until, validUntil } = term();
      const lease = await uow.repos.leases.acquire(instanceId, nodeId, { at, until });
      if (lease === null) return null;
      const fence = { instanceId, nodeId, epoch: lease.epoch };
      leases.set(instanceId, { fence, validUntil });
      return fence;
    },
    fence(instanceId) {
      const held = leases.get(instanceId);
      return held !== undefined && clock.now().getTime() < held.validUntil ? held.fence : null;
    },
    async release(instanceId) {
      const held = leases.get(instanceId);
      if (held === undefined) return;
      leases.delete(instanceId);
      await uow.repos.leases.release(held.fence, clock.now());
    },
    async renew() {
      const { at, until, validUntil } = term();
      // A lease claimed or released while the renewal runs is judged at the next one.
      const asked = new Map(leases);
      const renewed = await uow.repos.leases.renewAll(nodeId, { at, until });
      const epochs = new Map(renewed.map((lease) => [lease.instanceId, lease.epoch]));
      const lost: string[] = [];
      for (const [instanceId, held] of asked) {
        if (leases.get(instanceId) !== held) continue;
        if (epochs.get(instanceId) === held.fence.epoch) {
          held.validUntil = validUntil;
        } else {
          leases.delete(instanceId);
          lost.push(instanceId);
        }
      }
      return { lost };
    },
    takeExpired() {
      const now = clock.now().getTime();
      const expired = [...leases].filter(([, held]) => now >= held.validUntil).map(([id]) => id);
      for (const id of expired) leases.delete(id);
      return expired;
    },
    async releaseAll() {
      leases.clear();
      await uow.repos.leases.releaseAll(nodeId, clock.now());
    },
    held: () => [...leases.keys()],
  };
}
