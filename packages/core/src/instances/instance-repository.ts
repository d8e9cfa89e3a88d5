import type { Instance, InstanceStatus } from './instance.js';
import type { Actor, Page, PageRequest } from '../shared/index.js';
import type { FenceCheck } from '../cluster/index.js';
import type { FannedOutDelivery, PreparedEvent } from '../events/index.js';

export interface InstanceStatusChange {
  readonly status: InstanceStatus;
  readonly statusReason: string | null;
  /** Set on `connected`; left unchanged when undefined. */
  readonly phoneNumber?: string | null;
  readonly at: Date;
}

/**
 * A status transition decided from the status the row has when it is written (see `transition`): where it
 * goes, from which statuses, and what is written with it.
 */
export interface InstanceTransitionWrite {
  readonly to: InstanceStatus;
  /** The statuses `to` may be reached from. */
  readonly from: readonly InstanceStatus[];
  /** Where the row goes instead, and from which statuses, when it is `connected` or `reconnecting`. */
  readonly whilePaired?: { readonly to: InstanceStatus; readonly from: readonly InstanceStatus[] };
  readonly statusReason: string | null;
  /** Set when given; left unchanged when undefined. */
  readonly phoneNumber?: string | null;
  readonly at: Date;
  /** Who caused it: the `instance.status_changed` audit event (data: from, to, reason) names them. */
  readonly actor: Actor;
  /**
   * An event of the move to `to` (never of the `whilePaired` move), fanned out in the same write; with
   * `onlyIfChanged`, only when the row was not in `to` already.
   */
  readonly event?: { readonly prepared: PreparedEvent; readonly onlyIfChanged: boolean } | null;
}

export interface InstanceTransitionWritten {
  readonly instance: Instance;
  readonly previous: InstanceStatus;
  /** Whether the write carried the event (it was given and due): then hand it to `EventPreparer.written`. */
  readonly eventWritten: boolean;
  /** What the event's fan-out wrote; empty without an event, when it was not due, or when no endpoint wants it. */
  readonly deliveries: readonly FannedOutDelivery[];
}

export interface InstanceRepository {
  /** Inserts the instance. Throws `DomainError('conflict')` when the customer has a live one of that name. */
  create(instance: Instance): Promise<Instance>;
  /** The customer's live (not deleted) instance, or null when absent, deleted or another customer's. */
  findById(customerId: string, id: string): Promise<Instance | null>;
  /** The customer's live instances, newest first; `onlyId` restricts to one (instance-bound keys). */
  list(customerId: string, page: PageRequest, filter?: { onlyId?: string }): Promise<Page<Instance>>;
  /**
   * Sets the status if the current status is one of `from` (compare-and-set, so two racing transitions
   * cannot both win). Returns the updated instance, or null when absent, deleted, or not in `from`. With a
   * `fence` (a session running under a lease), also null when that lease no longer holds at `fence.at`:
   * the check is part of the write and keeps a takeover out until the enclosing transaction ends, as
   * `SessionLeaseRepository.holds` does.
   */
  updateStatus(
    customerId: string,
    id: string,
    from: readonly InstanceStatus[],
    change: InstanceStatusChange,
    fence?: FenceCheck | null,
  ): Promise<Instance | null>;
  /**
   * One status transition as one atomic write (one statement on Postgres, no BEGIN/COMMIT): reads the
   * row's status under a row lock, picks the target (`whilePaired` for a paired row), sets it if the status
   * is among that target's `from` and, with a `fence`, only while the lease holds at `fence.at`; appends
   * the audit event when the status changed; fans out `event` when due. Null when nothing was written: the
   * instance is absent, deleted or another customer's, its status does not allow the move, or the fence is
   * stale.
   */
  transition(customerId: string, id: string, write: InstanceTransitionWrite, fence?: FenceCheck | null): Promise<InstanceTransitionWritten | null>;
  /**
   * Soft-deletes (sets `deletedAt` and `updatedAt` to `at`; the name becomes free) and records the status
   * the deleted instance is left in: `disconnected`, reason `deleted` (its session is stopped and logged out
   * first). Returns the instance as deleted, or null when absent, already deleted or another customer's.
   */
  softDelete(customerId: string, id: string, at: Date): Promise<Instance | null>;
  /**
   * Live instances of every customer whose status is one of `statuses` (session resume on start).
   * Not tenant-scoped by design: only the process's session manager calls it.
   */
  listByStatus(statuses: readonly InstanceStatus[]): Promise<Instance[]>;
  /**
   * How many live (not deleted) instances of every customer are in each status; statuses with none are
   * absent. An aggregate for the operator's `/metrics`: not tenant-scoped by design, it names no customer.
   */
  countByStatus(): Promise<Partial<Record<InstanceStatus, number>>>;
}
