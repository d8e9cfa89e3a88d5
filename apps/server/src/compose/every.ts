/**
 * Runs `task` now and then every `intervalMs`, never two at once (a slow run delays the next one instead of
 * overlapping it). Errors are reported and the schedule goes on. Returns a stop function that waits for a
 * run in progress.
 */
export function every(intervalMs: number, task: () => Promise<unknown>, onError: (error: unknown) => void): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = task()
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
