/*
 * The process's event bus for SSE. Publishing fans out synchronously to every subscriber (a throwing one
 * is skipped, never the publisher's problem) and keeps the last `capacity` events in a ring, so a client
 * that reconnects with `Last-Event-ID` can be sent what it missed. Events enter the ring in publish
 * (commit) order, which is the order subscribers saw them; the caller filters by customer and instance.
 */
import type { EventBus } from './event-bus.js';
import type { PublishedEvent } from './event-envelope.js';

export const DEFAULT_RECENT_EVENTS = 1_000;

export interface InProcessEventBus extends EventBus {
  /**
   * The events published after the one with `eventId`, oldest first (empty when it is the latest). Null
   * when that event is no longer (or never was) in the ring: the caller cannot resume exactly.
   */
  since(eventId: string): PublishedEvent[] | null;
}

export interface InProcessEventBusOptions {
  /** How many recent events are kept for resuming. Default 1,000. */
  readonly capacity?: number;
}

export function createInProcessEventBus(options: InProcessEventBusOptions = {}): InProcessEventBus {
  const capacity = options.capacity ?? DEFAULT_RECENT_EVENTS;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer.');
  const listeners = new Set<(event: PublishedEvent) => void>();
  const ring: PublishedEvent[] = [];

  return {
    publish(event) {
      ring.push(event);
      if (ring.length > capacity) ring.shift();
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // The SSE layer drops a failing subscriber; the others still get the event.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    since(eventId) {
      const index = ring.findIndex((event) => event.envelope.event_id === eventId);
      return index === -1 ? null : ring.slice(index + 1);
    },
  };
}
