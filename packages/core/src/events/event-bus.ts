import type { PublishedEvent } from './event-envelope.js';

/**
 * In-process fan-out of committed events to live subscribers (the SSE stream). Publishing never blocks
 * on a subscriber: a slow one is the subscriber's problem (the SSE layer drops it).
 */
export interface EventBus {
  publish(event: PublishedEvent): void;
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: PublishedEvent) => void): () => void;
}
