import type { Instance, InstanceStatus } from './instance.js';
import type { Page, PageRequest } from '../shared/index.js';

export interface InstanceStatusChange {
  readonly status: InstanceStatus;
  readonly statusReason: string | null;
  /** Set on `connected`; left unchanged when undefined. */
  readonly phoneNumber?: string | null;
  readonly at: Date;
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
   * cannot both win). Returns the updated instance, or null when absent, deleted, or not in `from`.
   */
  updateStatus(
    customerId: string,
    id: string,
    from: readonly InstanceStatus[],
    change: InstanceStatusChange,
  ): Promise<Instance | null>;
  /**
   * Soft-deletes (sets `deletedAt` and `updatedAt` to `at`; the name becomes free). Returns the instance as
   * deleted (`deletedAt` set), or null when absent, already deleted or another customer's.
   */
  softDelete(customerId: string, id: string, at: Date): Promise<Instance | null>;
  /**
   * Live instances of every customer whose status is one of `statuses` (session resume on start).
   * Not tenant-scoped by design: only the process's session manager calls it.
   */
  listByStatus(statuses: readonly InstanceStatus[]): Promise<Instance[]>;
}
