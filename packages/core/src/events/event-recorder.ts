import type { Repositories, TransactionContext } from '../shared/unit-of-work.js';
import type { DomainEvent, EventEnvelope } from './event-envelope.js';

/**
 * Records that something happened. Called INSIDE the transaction that made the change: it writes one
 * webhook delivery per matching enabled endpoint (same transaction, so the change and its deliveries commit
 * together) and registers after-commit effects that enqueue those deliveries and publish the event to
 * in-process subscribers (SSE). The webhook feature provides the real implementation; until an endpoint
 * exists, recording still publishes to SSE.
 */
export interface EventRecorder {
  record(repos: Repositories, tx: TransactionContext, event: DomainEvent): Promise<EventEnvelope>;
}
