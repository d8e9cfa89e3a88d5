import type { LeaderLock } from '../shared/index.js';

/** Named locks in a Set: share one between the "processes" of a test. */
export function createInMemoryLeaderLock(): LeaderLock {
  const held = new Set<string>();
  return {
    async run(name, work) {
      if (held.has(name)) return { led: false };
      held.add(name);
      try {
        return { led: true, result: await work() };
      } finally {
        held.delete(name);
      }
    },
  };
}
