import type { EventBus } from '../events/event-bus.js';

/** Synchronous in-process fan-out; a throwing subscriber is skipped, never the publisher's problem. */
export function createInMemoryEventBus(): EventBus {
  const listeners = new Set<Parameters<EventBus['subscribe']>[0]>();
  return {
    publish(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // A subscriber's failure is its own (the SSE layer drops it); others still get the event.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
