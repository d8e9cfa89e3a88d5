/*
 * The one polling helper of core's test kit. The kit is published and so cannot depend on the workspace's
 * `@whatisup/test-infra`, which every other package's tests use; this copy keeps the same signature so the
 * two read alike. Core's own tests and contracts use this one.
 */

/** A real-time pause, for polling loops and contracts that must let real time pass (Redis clocks). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface UntilOptions {
  /** How long to keep polling before rejecting; 5 s unless given. */
  readonly timeoutMs?: number;
  /** The pause between two checks; 5 ms unless given. */
  readonly intervalMs?: number;
  /** What the rejection says; a function is called at that moment so it can report what was seen. */
  readonly message?: string | (() => string);
}

/** Resolves once `predicate` holds, checking it at once and then every `intervalMs`; rejects after `timeoutMs`. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  options: number | UntilOptions = {},
): Promise<void> {
  const { timeoutMs = 5_000, intervalMs = 5, message } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) {
      const said = typeof message === 'function' ? message() : message;
      throw new Error(said === undefined ? `condition not met within ${timeoutMs} ms` : `Timed out: ${said}`);
    }
    await sleep(intervalMs);
  }
}
