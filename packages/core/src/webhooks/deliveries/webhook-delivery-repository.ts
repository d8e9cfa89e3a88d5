/*
 * Webhook deliveries and their attempts (tables `webhook_deliveries`, `webhook_delivery_attempts`).
 *
 * Claims: a worker sends a delivery only while it holds a claim (`claimed_until`, `claim_token`), taken
 * by one atomic compare-and-set, so a duplicate job or a second worker cannot send it twice at once. A
 * claim expires: a worker that died mid-attempt leaves the delivery claimable (and due for the sweeper)
 * once `claimed_until` passes. Times are passed in, never read from the database's clock, so schedules
 * follow the injected clock.
 *
 * The worker-side methods (`claim`, `release`, `complete`, `listDue`, `prune`) take a delivery id
 * without a customer id on purpose: a queue job carries only the id. Every API-side method is scoped.
 */
import type { NewAuditEvent, Page, PageRequest } from '../../shared/index.js';
import type {
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryStatus,
  WebhookDeliverySummary,
} from './webhook-delivery.js';
import type { EventFanOut, EventName, FannedOutDelivery } from '../../events/index.js';
import type { StoredWebhookEndpoint } from '../endpoints/webhook-endpoint.js';

/** A due delivery as the sweeper sees it: enough to enqueue it and to continue after it. */
export interface DueDelivery {
  readonly id: string;
  readonly nextAttemptAt: Date;
  /** The trace context stored with the delivery, so a re-driven attempt joins its trace. */
  readonly traceparent?: string | null;
}

/** Every customer's unfinished deliveries, counted for the operator's metrics (no tenant data). */
export interface DeliveryBacklog {
  /** Deliveries `pending` or `retrying`, due or not, claimed or not. */
  readonly waiting: number;
  /** Of those, the ones due (`next_attempt_at <= now`). */
  readonly due: number;
  /** The earliest `next_attempt_at` among the due ones; null when none is due. */
  readonly oldestDueAt: Date | null;
}

export interface WebhookDeliveryFilter {
  readonly status?: WebhookDeliveryStatus;
  readonly event?: EventName;
  readonly instanceId?: string;
  readonly endpointId?: string;
}

export interface DeliveryClaimRequest {
  readonly now: Date;
  /** The claim's expiry: longer than the longest attempt (request timeout plus bookkeeping). */
  readonly until: Date;
  /** Unique per claim; `complete` and `release` must present it. */
  readonly token: string;
}

export type DeliveryClaimResult =
  /**
   * `endpoint`: the delivery's endpoint with its sealed secrets, as `WebhookEndpointRepository.findStored`
   * returns it, read in the same step as the claim (one round trip instead of two); null when it is gone.
   */
  | { readonly claimed: true; readonly delivery: WebhookDelivery; readonly endpoint: StoredWebhookEndpoint | null }
  /** `retryAt`: when it may become claimable (not yet due, or claimed by another worker); null: never (absent, success, failed). */
  | { readonly claimed: false; readonly retryAt: Date | null };

/** The state a finished attempt leaves the delivery in. Clears the claim. */
export interface DeliveryCompletion {
  readonly status: WebhookDeliveryStatus;
  readonly attemptCount: number;
  readonly nextAttemptAt: Date | null;
  readonly lastResponseStatus: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: Date | null;
  readonly at: Date;
}

/** An audit event written together with deliveries; its time is given, not read from a clock. */
export type DeliveryAuditEvent = NewAuditEvent & { readonly occurredAt: Date };

/** The fan-out types live with the events port, since other repositories' writes can carry one. */
export type { EventFanOut, FannedOutDelivery };

export interface WebhookDeliveryRepository {
  /**
   * Inserts deliveries. Throws `DomainError('conflict')` on a duplicate id or (event id, endpoint id).
   * With `audit`, appends that audit event in the same atomic step (one statement): both are written or neither.
   */
  createMany(deliveries: readonly WebhookDelivery[], audit?: DeliveryAuditEvent): Promise<void>;
  /**
   * Writes one delivery of the event per ENABLED endpoint of the customer that wants it (as
   * `WebhookEndpointRepository.findMatching` selects them), in one step: the endpoints are not read first.
   * Returns the deliveries ordered by endpoint id (so by delivery id too); empty, and nothing written, when
   * no endpoint matches.
   */
  createForMatchingEndpoints(fanOut: EventFanOut): Promise<FannedOutDelivery[]>;
  /** The customer's delivery, or null when absent or another customer's. */
  findById(customerId: string, id: string): Promise<WebhookDelivery | null>;
  /** The customer's deliveries, newest first, narrowed by every filter field given; without payloads. */
  list(customerId: string, page: PageRequest, filter?: WebhookDeliveryFilter): Promise<Page<WebhookDeliverySummary>>;
  /** The delivery's attempts, oldest first; empty when absent or another customer's. */
  listAttempts(customerId: string, deliveryId: string): Promise<WebhookDeliveryAttempt[]>;
  /**
   * Claims the delivery if it is `pending` or `retrying`, due (`next_attempt_at <= now`) and holds no live
   * claim (none, or `claimed_until <= now`). Atomic: of two concurrent claims at most one wins.
   */
  claim(id: string, request: DeliveryClaimRequest): Promise<DeliveryClaimResult>;
  /** Gives a claim back unchanged (no attempt was made). Does nothing unless `token` holds the claim. */
  release(id: string, token: string): Promise<void>;
  /** Records the outcome if `token` still holds the claim. Returns the delivery, or null when the claim was lost. */
  complete(id: string, token: string, completion: DeliveryCompletion): Promise<WebhookDelivery | null>;
  /** Appends an attempt (the delivery must exist). */
  appendAttempt(attempt: WebhookDeliveryAttempt): Promise<void>;
  /**
   * `appendAttempt` and then `complete` of the attempt's delivery, atomically and in one round trip: the
   * attempt is kept even when `token` no longer holds the claim (it happened). True when the outcome was
   * recorded, false when the claim was lost.
   */
  recordAttempt(attempt: WebhookDeliveryAttempt, token: string, completion: DeliveryCompletion): Promise<boolean>;
  /**
   * Deliveries claimable at `now` (see `claim`), most overdue first (ties by id), at most `limit`; with
   * `after`, only those that sort after it (keyset paging, so a sweeper can walk a backlog larger than a page).
   */
  listDue(now: Date, limit: number, after?: DueDelivery | null): Promise<DueDelivery[]>;
  /**
   * Counts every customer's unfinished deliveries at `now` (see DeliveryBacklog): an aggregate for the
   * operator's `/metrics`, which names no customer. Zeros and null when there are none.
   */
  backlog(now: Date): Promise<DeliveryBacklog>;
  /**
   * Starts a new attempt series: status `pending`, attempt count 0, due at `at`, and what the previous
   * series ended with (last error, last response status, delivery time) cleared; the attempts keep it.
   * Returns the delivery, or null when absent, another customer's, or claimed right now (an attempt in flight).
   */
  replay(customerId: string, id: string, at: Date): Promise<WebhookDelivery | null>;
  /** `replay` for every failed delivery of the endpoint created at or after `since`. Returns their ids. */
  replayFailed(customerId: string, endpointId: string, since: Date, at: Date): Promise<string[]>;
  /**
   * Deletes (with their attempts) successful deliveries last updated before `successBefore` and failed
   * ones before `failedBefore`. Every customer's. Returns how many of each.
   */
  prune(cutoffs: { successBefore: Date; failedBefore: Date }): Promise<{ success: number; failed: number }>;
}
