import type { Clock } from '../shared/index.js';

/** A clock tests move by hand: no timers, no `vi.useFakeTimers`. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms` and returns the new time. */
  advance(ms: number): Date;
  set(to: Date): void;
}

export function createFakeClock(start: Date = new Date('2026-05-01T12:00:00.000Z')): FakeClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms) {
      now += ms;
      return new Date(now);
    },
    set(to) {
      now = to.getTime();
    },
  };
}
