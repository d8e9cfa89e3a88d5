import type { Instance } from '../instances/instance.js';

/**
 * What a session write carries to prove its node still owns the instance: the lease's holder and the
 * fencing epoch it was granted under. The epoch grows at every takeover, so a node that lost the lease
 * (paused past its expiry, cut off) holds a fence that no longer matches and its writes are refused.
 */
export interface LeaseFence {
  readonly instanceId: string;
  readonly nodeId: string;
  readonly epoch: number;
}

/**
 * A fence a write carries into its own statement: the write happens only while the lease is held under
 * `fence` at `at` (the writer's clock now), and keeps a takeover out until its transaction ends.
 */
export interface FenceCheck {
  readonly fence: LeaseFence;
  readonly at: Date;
}

/** What a fenced write answers when its fence no longer holds: it changed nothing. */
export type StaleFence = 'stale_fence';

/** A lease as granted or renewed: its fence and when it ends unless renewed. */
export interface SessionLease extends LeaseFence {
  readonly expiresAt: Date;
}

/** The lease row of an instance as stored: `nodeId` null once released (the epoch stays). */
export interface StoredLease {
  readonly instanceId: string;
  readonly nodeId: string | null;
  readonly epoch: number;
  readonly expiresAt: Date;
}

/**
 * An instance placement considers: one that should have a session somewhere (connecting, connected,
 * reconnecting) or that some node holds a lease on right now (a pairing in progress), with its lease.
 */
export interface PlacementCandidate {
  readonly instance: Instance;
  readonly lease: StoredLease | null;
}

/** The statuses whose instances should run a session somewhere: the ones a restart resumes. */
export const RESUMABLE_STATUSES = ['connecting', 'connected', 'reconnecting'] as const;

/** Whether `lease` is held by someone at `at`. */
export const isHeld = (lease: StoredLease | null, at: Date): lease is StoredLease & { nodeId: string } =>
  lease !== null && lease.nodeId !== null && lease.expiresAt.getTime() > at.getTime();

/** Whether `lease` is held under `check.fence` at `check.at` (the in-memory adapters' fence check). */
export const holdsFence = (lease: StoredLease | null, check: FenceCheck): boolean =>
  isHeld(lease, check.at) && lease.nodeId === check.fence.nodeId && lease.epoch === check.fence.epoch;
