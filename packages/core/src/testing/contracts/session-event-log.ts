/*
 * A session listener that keeps every event and lets a test wait for one, resolving as the event arrives
 * (no polling). The guard timer is the real setTimeout captured when this module loads, so a suite run
 * under vitest's fake timers still fails with a message instead of hanging.
 */
import type { SessionEvent, SessionEventType } from '../../sessions/index.js';

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

export type EventOf<T extends SessionEventType> = Extract<SessionEvent, { type: T }>;

export interface SessionEventLog {
  readonly events: readonly SessionEvent[];
  readonly listener: (event: SessionEvent) => void;
  types(): SessionEventType[];
  /** The first event of `type` (matching `match`) already logged or still to come. */
  waitFor<T extends SessionEventType>(type: T, match?: (event: EventOf<T>) => boolean, timeoutMs?: number): Promise<EventOf<T>>;
}

export function createSessionEventLog(): SessionEventLog {
  const events: SessionEvent[] = [];
  const waiters = new Set<(event: SessionEvent) => void>();
  return {
    events,
    listener: (event) => {
      events.push(event);
      for (const waiter of [...waiters]) waiter(event);
    },
    types: () => events.map((event) => event.type),
    waitFor<T extends SessionEventType>(type: T, match: (event: EventOf<T>) => boolean = () => true, timeoutMs = 2_000) {
      const fits = (event: SessionEvent): event is EventOf<T> => event.type === type && match(event as EventOf<T>);
      const found = events.find(fits);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<EventOf<T>>((resolve, reject) => {
        const guard = realSetTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no "${type}" event within ${timeoutMs} ms; the session said: ${events.map((e) => e.type).join(', ')}`));
        }, timeoutMs);
        const waiter = (event: SessionEvent) => {
          if (!fits(event)) return;
          realClearTimeout(guard);
          waiters.delete(waiter);
          resolve(event);
        };
        waiters.add(waiter);
      });
    },
  };
}
