import type { PublishedEvent } from './event-envelope.js';

/**
 * What an event stream reads: one customer's events, from every node that shares the feed, and that
 * customer's recent window for resuming after `Last-Event-ID`. The window is kept per customer, so one
 * busy customer never pushes another's events out of it, and it is capped (a number of events per customer).
 */
export interface EventFeed {
  /**
   * Starts following the customer's events. Resolves once live events published from now on are sure to
   * arrive; they are held until `listen` is called. Rejects with DomainError('unavailable') when the feed
   * cannot be reached (the stream is then refused rather than left silent).
   */
  open(customerId: string, lastEventId: string | null): Promise<OpenedEventFeed>;
}

export interface OpenedEventFeed {
  /**
   * The customer's events after `lastEventId`, oldest first: undefined when none was given, null when that
   * event is no longer (or never was) in the window.
   */
  readonly backlog: readonly PublishedEvent[] | null | undefined;
  /**
   * Delivers live events to `listener`: first those held since `open` (none that the backlog already had),
   * then each as it comes, in the order the feed received them. Call it once. `onLost` is called (once) when
   * the feed can no longer promise that no event is missed (its connection dropped): end the stream then, so
   * the client reconnects with Last-Event-ID and gets what the window has.
   */
  listen(listener: (event: PublishedEvent) => void, onLost?: () => void): void;
  /** Stops following; nothing is delivered after it. Idempotent. */
  close(): void;
}
