import type { TransactionContext } from '../shared/index.js';
import type { DomainEvent, EventEnvelope } from './event-envelope.js';

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
}
