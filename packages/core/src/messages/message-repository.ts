/*
 * Outbound messages (table `messages`) and their status trail (table `message_status_history`).
 *
 * Idempotency rests on two unique constraints, not on a read-then-write: (instance, client_ref) and
 * (customer, idempotency_key). `stage` reports a collision with either as a result carrying the row that
 * holds the key, so concurrent duplicates all see the same first message.
 *
 * Ordering and exclusivity: a worker may send only the HEAD of an instance's outbox (its queued message
 * with the lowest `seq`) and only while it holds that message's claim (`claimed_until`, `claim_token`),
 * taken by one atomic compare-and-set. Because later messages wait behind the head, one claim serialises
 * the whole instance: two workers (or a duplicate job) can never send two messages of one instance at once,
 * nor one message twice at once. A claim expires, so a worker that died mid-send leaves the head claimable
 * again once `claimed_until` passes. Times are passed in, never read from the database's clock.
 *
 * Every write that changes `status` appends one history entry in the same statement or transaction.
 * Worker-side methods (`claimNext`, `release`, `markSent`, `markFailed`, `listInstancesWithQueued`) take no
 * customer id on purpose (a queue job carries only the instance id); `markStatus` and `listAwaitingReceipts`
 * are scoped by instance (a receipt arrives on an instance's session). Every API-side read takes the customer id.
 *
 * Fencing: `markSent` and `markStatus` take the session's lease fence (`FenceCheck`) when the write comes
 * from a session running under a lease. The check is part of the write itself, not a query of its own: the
 * write happens only while the lease holds, takes the same lock as `SessionLeaseRepository.holds` (so a
 * takeover waits until the enclosing transaction ends), and answers `'stale_fence'` having changed nothing.
 */
import type { Message, MessageError, MessageStatus, MessageStatusEntry, NewMessage } from './message.js';
import type { Page, PageRequest } from '../shared/index.js';
import type { InstanceStatus } from '../instances/instance.js';
import type { FenceCheck, StaleFence } from '../cluster/index.js';
import type { FannedOutDelivery, PreparedEvent } from '../events/index.js';

export type StageResult =
  | { readonly outcome: 'staged'; readonly message: Message }
  /** The client_ref or idempotency key is taken: `existing` is the message holding it (key checked first). */
  | { readonly outcome: 'duplicate'; readonly existing: Message };

/**
 * `stageIfInstance`'s result: a `StageResult`, or the message's instance is not one of the customer's
 * (`status: null`) or in none of the statuses asked for. Then nothing was written and no duplicate looked for.
 */
export type ConditionalStageResult = StageResult | { readonly outcome: 'instance_unavailable'; readonly status: InstanceStatus | null };

/**
 * Stage only while the message's instance, of the message's customer, is in one of these statuses: checked by
 * the same atomic write, so a send needs no read of the instance before it (one round trip fewer).
 */
export interface StageCondition {
  readonly instanceStatusIn: readonly InstanceStatus[];
}

export interface MessageClaimRequest {
  readonly now: Date;
  /** The claim's expiry: longer than the longest send (send timeout plus media download plus bookkeeping). */
  readonly until: Date;
  /** Unique per claim; `release`, `markSent` and `markFailed` must present it. */
  readonly token: string;
}

export type MessageClaimResult =
  | { readonly claimed: true; readonly message: Message }
  /** `retryAt`: when the head may become claimable (not yet due, or claimed by another worker); null: nothing queued. */
  | { readonly claimed: false; readonly retryAt: Date | null };

export interface MessageReceipt {
  readonly status: Extract<MessageStatus, 'sent' | 'delivered' | 'read'>;
  readonly at: Date;
  readonly participant: string | null;
}

/** A message field a receipt's event payload leaves as a hole, filled from the row the receipt moved. */
export type MessageHole = 'id' | 'clientRef' | 'recipient';

/**
 * A receipt's event, prepared before the write that finds its message: `prepared.fanOut.payload` is
 * `parts` joined by the JSON of the message's `holes` (`fillPayload`), its customer the message's.
 */
export interface ReceiptEvent {
  readonly prepared: PreparedEvent;
  readonly parts: readonly string[];
  readonly holes: readonly MessageHole[];
}

/** The payload of a receipt's event for the message its write moved: byte for byte what recording it would store. */
export function fillPayload(event: Pick<ReceiptEvent, 'parts' | 'holes'>, message: Pick<Message, MessageHole>): string {
  return event.parts.reduce((body, part, i) => (i === 0 ? part : body + JSON.stringify(message[event.holes[i - 1]!]) + part), '');
}

export interface MessageListFilter {
  readonly instanceId?: string;
  readonly status?: MessageStatus;
}

export interface MessageRepository {
  /**
   * Inserts a `queued` message (assigning the next `seq`) with its first history entry (`queued`). Never
   * throws for a taken client_ref or idempotency key: returns `duplicate` with the holder. Throws
   * `DomainError('conflict')` on a duplicate id.
   */
  stage(message: NewMessage): Promise<StageResult>;
  /** `stage`, only while the message's instance (of its customer) is in one of the condition's statuses. */
  stageIfInstance(message: NewMessage, condition: StageCondition): Promise<ConditionalStageResult>;
  /** The customer's message, or null when absent or another customer's. */
  findById(customerId: string, id: string): Promise<Message | null>;
  /** The customer's message holding this idempotency key, or null. */
  findByIdempotencyKey(customerId: string, key: string): Promise<Message | null>;
  /** The instance's message holding this client_ref, or null (also when the instance is another customer's). */
  findByClientRef(customerId: string, instanceId: string, clientRef: string): Promise<Message | null>;
  /** The instance's message WhatsApp knows by `whatsappId` (receipts), or null when absent. */
  findByWhatsappId(instanceId: string, whatsappId: string): Promise<Message | null>;
  /** The customer's messages, newest first, narrowed by every filter field given. Outbox actions are left out. */
  list(customerId: string, page: PageRequest, filter?: MessageListFilter): Promise<Page<Message>>;
  /** The message's status trail, oldest first; empty when absent or another customer's. */
  history(customerId: string, id: string): Promise<MessageStatusEntry[]>;
  /**
   * Claims the head of the instance's outbox (lowest-seq `queued` message) if it is due
   * (`nextAttemptAt <= now`) and holds no live claim. Never skips the head to reach a later message.
   * Atomic: of two concurrent claims at most one wins.
   */
  claimNext(instanceId: string, request: MessageClaimRequest): Promise<MessageClaimResult>;
  /**
   * Gives the claim back: the message stays `queued`, becomes due at `nextAttemptAt`, and its attempt count
   * becomes `attemptCount`. Does nothing unless `token` holds the claim.
   */
  release(id: string, token: string, retry: { readonly nextAttemptAt: Date; readonly attemptCount: number; readonly at: Date }): Promise<void>;
  /**
   * `queued → sent`, storing WhatsApp's id and clearing the claim, in one write (so a sent message can
   * never be claimed again). Returns the message, or null when `token` no longer holds the claim. The id is
   * null only for an outbox action (performed: it has no WhatsApp message id). With a `fence`, writes only
   * while that lease holds at `fence.at`, else answers `'stale_fence'` (checked first, whatever the claim).
   */
  markSent(
    id: string,
    token: string,
    sent: { readonly whatsappId: string | null; readonly at: Date },
    fence?: FenceCheck | null,
  ): Promise<Message | StaleFence | null>;
  /**
   * `markSent` and the fan-out of `event` (an event prepared from the message as it will be once sent) as
   * one atomic write, one statement on Postgres: the event's deliveries are written only if the message
   * was marked sent, never under a stale fence or a lost claim. Returns the sent message with the
   * deliveries written (for the caller to hand to `EventPreparer.written`), or what `markSent` would.
   */
  markSentWithEvent(
    id: string,
    token: string,
    sent: { readonly whatsappId: string | null; readonly at: Date },
    fence: FenceCheck | null,
    event: PreparedEvent,
  ): Promise<{ readonly message: Message; readonly deliveries: readonly FannedOutDelivery[] } | StaleFence | null>;
  /** `queued → failed` with the error, clearing the claim. Returns the message, or null when the claim was lost. */
  markFailed(id: string, token: string, failure: { readonly error: MessageError; readonly at: Date }): Promise<Message | null>;
  /**
   * Moves the instance's message known by `whatsappId` forward to the receipt's status (see
   * `advancesStatus`): `advanced: false` when it already is there or further (nothing written). Null when
   * no such message. With a `fence`, writes only while that lease holds at `fence.at`, else answers
   * `'stale_fence'` (checked first, whether or not the message exists). With an `event`, fans it out in
   * the same atomic write (one statement on Postgres), only if the message advanced, its payload's holes
   * filled from the moved row and its customer the row's; `deliveries` says what was written.
   */
  markStatus(
    instanceId: string,
    whatsappId: string,
    receipt: MessageReceipt,
    fence?: FenceCheck | null,
    event?: ReceiptEvent | null,
  ): Promise<{ readonly message: Message; readonly advanced: boolean; readonly deliveries: readonly FannedOutDelivery[] } | StaleFence | null>;
  /**
   * The instance's messages WhatsApp accepted and that still wait for a receipt (status `sent` or
   * `delivered`; never an outbox action), by `seq` ascending, strictly after `afterSeq`, at most `limit`; empty when none. A message's
   * `updatedAt` is when it reached that status. Scoped by instance like `markStatus`: the simulated phone
   * re-derives the receipts it owes on resume from these.
   */
  listAwaitingReceipts(instanceId: string, page: { readonly afterSeq: number | null; readonly limit: number }): Promise<Message[]>;
  /**
   * Every instance (with its customer) having queued messages none of which holds a live claim at `now`
   * (a live claim means a worker is on it; once it expires the instance is listed again), by instance id
   * ascending, strictly after `afterInstanceId`, at most `limit` (the sweeper walks them in pages). Not
   * tenant-scoped by design.
   */
  listInstancesWithQueued(
    now: Date,
    page: { readonly afterInstanceId: string | null; readonly limit: number },
  ): Promise<{ readonly instanceId: string; readonly customerId: string }[]>;
  /**
   * Every customer's `queued` messages: how many, and when the oldest was accepted (null when none). An
   * aggregate for the operator's `/metrics`; not tenant-scoped by design, it names no customer.
   */
  queuedBacklog(): Promise<{ readonly queued: number; readonly oldestCreatedAt: Date | null }>;
}
