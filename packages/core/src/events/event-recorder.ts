import type { TransactionContext } from '../shared/index.js';
import type { DomainEvent, EventEnvelope } from './event-envelope.js';
import type { EventName } from './event-names.js';

/**
 * Records that something happened. Called INSIDE the transaction that made the change, with that
 * transaction's repositories (the unit of work's full set): the webhook feature's implementation writes one
 * webhook delivery per matching enabled endpoint there (so the change and its deliveries commit together)
 * and registers after-commit effects that enqueue those deliveries and publish the event to in-process
 * subscribers (SSE). With no endpoint, recording still publishes to SSE. `R` is the repositories an
 * implementation needs; callers see `EventRecorder` and pass the repositories they were given.
 */
export interface EventRecorder<R extends object = object> {
  record(repos: R, tx: TransactionContext, event: DomainEvent): Promise<EventEnvelope>;
  /**
   * Records an event that is a change on its own (nothing else is written with it), outside any transaction:
   * the webhook implementation's fan-out is one statement, atomic by itself, where a transaction around it
   * would add BEGIN and COMMIT round trips. `repos` must be the unit of work's own (`uow.repos`). The
   * deliveries are enqueued and the event published once that write returned; a failed enqueue is left to the
   * sweeper, as after any commit. Throws, publishing nothing, when the write fails.
   */
  recordAlone(repos: R, event: DomainEvent): Promise<EventEnvelope>;
}

/**
 * One event to deliver to every endpoint of its customer that wants it: each delivery is `pending`, due at
 * `at` (also its creation time), with no attempt yet.
 */
export interface EventFanOut {
  readonly customerId: string;
  readonly instanceId: string | null;
  readonly event: EventName;
  readonly eventId: string;
  /** The serialised envelope, the exact bytes every delivery signs and sends. */
  readonly payload: string;
  readonly at: Date;
  readonly traceparent: string | null;
  /**
   * Fresh delivery ids, ascending: the i-th matching endpoint (by endpoint id) gets the i-th. Unused ones
   * are dropped; when more endpoints match than ids were given, the rest get ids minted at `at`.
   */
  readonly ids: readonly string[];
}

/** A delivery the fan-out wrote, with its endpoint's URL (the queue job names the endpoint's host). */
export interface FannedOutDelivery {
  readonly deliveryId: string;
  readonly endpointId: string;
  readonly url: string;
}

/**
 * An event made ready to be written by someone else's statement: a repository write that takes one fans
 * it out in the same statement as its own change (no transaction, one round trip), and only if that change
 * happened. Its caller then hands what was written to `EventPreparer.written`.
 */
export interface PreparedEvent {
  readonly fanOut: EventFanOut;
  readonly envelope: EventEnvelope;
}

/**
 * `EventRecorder.record` split in two around a write the caller makes itself: `prepare` builds the envelope
 * once, serialises it once and draws the delivery ids (what `record` would store, byte for byte);
 * `written` runs what `record` registers after the commit (enqueue the deliveries, publish to SSE); it never
 * throws (a failed enqueue is reported and left to the sweeper). Call `written` only once the write that fanned the event out has returned (committed), and only if it did.
 */
export interface EventPreparer {
  prepare(event: DomainEvent): PreparedEvent;
  written(prepared: PreparedEvent, deliveries: readonly FannedOutDelivery[]): Promise<void>;
}
