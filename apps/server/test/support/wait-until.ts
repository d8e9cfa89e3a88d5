/**
 * Polls `check` until it holds. Rejects after `timeoutMs` with `message()` (evaluated then, so it can say
 * what was seen). End-to-end tests wait on real processes: a condition, never a fixed sleep.
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; message: () => string },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out: ${options.message()}`);
    await sleep(options.intervalMs ?? 25);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
