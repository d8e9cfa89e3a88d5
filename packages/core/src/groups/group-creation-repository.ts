/*
 * Idempotency of group creation (`POST …/groups` with an `Idempotency-Key`): creation is a live operation
 * (answered synchronously, not staged in the outbox), so the key cannot live on an outbox row. One row per
 * (customer, key): `pending` while WhatsApp is asked, `done` with the answer once it was given, so a retry
 * returns the first group instead of making a second one. A pending row past `expiresAt` (the process died
 * mid-creation) may be taken over by a retry.
 */

export interface GroupCreationRecord {
  readonly customerId: string;
  readonly idempotencyKey: string;
  readonly instanceId: string;
  readonly requestHash: string;
  readonly status: 'pending' | 'done';
  /** The response body given the first time; null while pending. */
  readonly response: Readonly<Record<string, unknown>> | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export type GroupCreationClaim = { readonly outcome: 'claimed' } | { readonly outcome: 'existing'; readonly record: GroupCreationRecord };

export interface GroupCreationRepository {
  /**
   * Claims the key for a creation about to start: `claimed` when this call inserted the row or took over a
   * pending one whose `expiresAt` is not after `createdAt`; otherwise `existing` with the row as it stands.
   */
  claim(record: Omit<GroupCreationRecord, 'status' | 'response'>): Promise<GroupCreationClaim>;
  /** Stores the answer of a claimed creation. A no-op when the row is gone. */
  complete(customerId: string, idempotencyKey: string, response: Readonly<Record<string, unknown>>): Promise<void>;
  /** Frees a claimed key after the creation failed, so a retry may try again. A no-op when the row is gone or done. */
  release(customerId: string, idempotencyKey: string): Promise<void>;
}
