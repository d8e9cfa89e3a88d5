import type { LeaseFence, PlacementCandidate, SessionLease, StoredLease } from './session-lease.js';

export interface LeaseTerm {
  /** The node's clock now: a lease whose `expiresAt` is not after it has expired. */
  readonly at: Date;
  /** When the lease granted or renewed ends unless renewed again. */
  readonly until: Date;
}

/**
 * The session leases: which node may run the session of which instance, until when, under which fencing
 * epoch. Not tenant-scoped by design: leases are the nodes' bookkeeping, reached only by the session
 * ownership of a node, never by a customer's request; instance ids are unique across customers.
 */
export interface SessionLeaseRepository {
  /**
   * Grants the lease to `nodeId` when nobody holds it at `term.at` (never leased, released, or expired):
   * the epoch grows by one (a takeover). When `nodeId` already holds it unexpired, renews it under the same
   * epoch. Returns the lease, or null when another node holds it unexpired.
   */
  acquire(instanceId: string, nodeId: string, term: LeaseTerm): Promise<SessionLease | null>;
  /**
   * Extends every lease `nodeId` holds unexpired at `term.at` to `term.until` and returns them. An expired
   * lease is not revived (another node may be taking it): the holder must acquire it again, which bumps
   * the epoch. Empty when the node holds none.
   */
  renewAll(nodeId: string, term: LeaseTerm): Promise<SessionLease[]>;
  /**
   * Frees the lease if `fence` still holds it, keeping the epoch (the next holder's is higher). Returns
   * whether it freed it; false when the fence is stale or the lease already free.
   */
  release(fence: LeaseFence, at: Date): Promise<boolean>;
  /** Frees every lease `nodeId` holds (a node stopping); returns how many. */
  releaseAll(nodeId: string, at: Date): Promise<number>;
  /**
   * Whether `fence` holds the lease at `at` (same node, same epoch, unexpired). Inside a transaction a
   * true answer also blocks any takeover of the lease until the transaction ends, so a write guarded by
   * it cannot commit after another node took over.
   */
  holds(fence: LeaseFence, at: Date): Promise<boolean>;
  /** The instance's lease, or null when it was never leased. */
  find(instanceId: string): Promise<StoredLease | null>;
  /**
   * Every live (not deleted) instance of every customer that is resumable (`RESUMABLE_STATUSES`) or whose
   * lease is held at `at`, with its lease, ordered by instance id.
   */
  listCandidates(at: Date): Promise<PlacementCandidate[]>;
}

/** The repositories the session leases live in (one unit of work with the instances they fence). */
export interface LeaseRepositories {
  readonly leases: SessionLeaseRepository;
}
