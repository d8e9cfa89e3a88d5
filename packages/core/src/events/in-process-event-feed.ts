/*
 * The event feed of a single process (no Redis): it follows the process's bus and keeps, per customer, the
 * last `capacity` events for resuming. The bus is synchronous, so the backlog is read and the live
 * subscription taken in one tick: nothing published in between is lost or sent twice.
 *
 * Memory: at most `capacity` events per customer and `maxCustomers` customers; the customer whose window
 * was written least recently is forgotten first (its streams then get `stream.resume_window_exceeded` on a
 * resume, as after any eviction).
 */
import type { EventBus } from './event-bus.js';
import type { PublishedEvent } from './event-envelope.js';
import type { EventFeed, OpenedEventFeed } from './event-feed.js';

export const DEFAULT_WINDOW_PER_CUSTOMER = 1_000;
export const DEFAULT_WINDOW_CUSTOMERS = 10_000;

export interface InProcessEventFeedOptions {
  /** Events kept per customer for resuming. Default 1,000. */
  readonly capacity?: number;
  /** Customers whose windows are kept. Default 10,000. */
  readonly maxCustomers?: number;
}

export interface InProcessEventFeed extends EventFeed {
  /** Stops following the bus. */
  close(): void;
}

export function createInProcessEventFeed(bus: Pick<EventBus, 'subscribe'>, options: InProcessEventFeedOptions = {}): InProcessEventFeed {
  const capacity = options.capacity ?? DEFAULT_WINDOW_PER_CUSTOMER;
  const maxCustomers = options.maxCustomers ?? DEFAULT_WINDOW_CUSTOMERS;
  for (const [name, value] of [['capacity', capacity], ['maxCustomers', maxCustomers]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer.`);
  }
  // Map order is recency order: a customer's window is re-inserted when written.
  const windows = new Map<string, PublishedEvent[]>();
  const listeners = new Map<string, Set<(event: PublishedEvent) => void>>();

  const unsubscribe = bus.subscribe((event) => {
    let ring = windows.get(event.customerId);
    if (ring !== undefined) windows.delete(event.customerId);
    else ring = [];
    windows.set(event.customerId, ring);
    ring.push(event);
    if (ring.length > capacity) ring.shift();
    if (windows.size > maxCustomers) windows.delete(windows.keys().next().value!);
    for (const listener of [...(listeners.get(event.customerId) ?? [])]) {
      try {
        listener(event);
      } catch {
        // A failing stream is its own problem; the others still get the event.
      }
    }
  });

  return {
    async open(customerId, lastEventId) {
      const ring = windows.get(customerId) ?? [];
      let backlog: PublishedEvent[] | null | undefined;
      if (lastEventId !== null) {
        const index = ring.findIndex((event) => event.envelope.event_id === lastEventId);
        backlog = index === -1 ? null : ring.slice(index + 1);
      }
      const held: PublishedEvent[] = [];
      let deliver: (event: PublishedEvent) => void = (event) => void held.push(event);
      const forward = (event: PublishedEvent) => deliver(event);
      let set = listeners.get(customerId);
      if (set === undefined) listeners.set(customerId, (set = new Set()));
      set.add(forward);
      let closed = false;
      const opened: OpenedEventFeed = {
        backlog,
        listen(listener) {
          deliver = (event) => {
            if (!closed) listener(event);
          };
          for (const event of held.splice(0)) deliver(event);
        },
        close() {
          if (closed) return;
          closed = true;
          set.delete(forward);
          if (set.size === 0 && listeners.get(customerId) === set) listeners.delete(customerId);
        },
      };
      return opened;
    },
    close: unsubscribe,
  };
}
