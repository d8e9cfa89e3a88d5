/*
 * "One process at a time does this": periodic jobs that every process schedules (sweepers, retention) run
 * under a named lock. A process that does not get the lock skips its run instead of waiting, so N processes
 * do each job once per period, and if the holder dies the lock is free for the next run elsewhere.
 */

export type LeaderRun<T> = { readonly led: true; readonly result: T } | { readonly led: false };

export interface LeaderLock {
  /**
   * Runs `work` holding the lock `name` if no other process (or run in this one) holds it, and releases it
   * afterwards, also when `work` throws (rethrown). Resolves `{ led: false }` without running it otherwise.
   */
  run<T>(name: string, work: () => Promise<T>): Promise<LeaderRun<T>>;
}
