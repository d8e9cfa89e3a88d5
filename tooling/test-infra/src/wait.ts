/** A real-time pause, for polling loops and the few tests that must let real time pass. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface UntilOptions {
  /** How long to keep polling before rejecting; 5 s unless given (spawned processes want more). */
  readonly timeoutMs?: number;
  /** The pause between two checks; 5 ms unless given. */
  readonly intervalMs?: number;
  /** What the rejection says; a function is called at that moment so it can report what was seen. */
  readonly message?: string | (() => string);
}

/**
 * Resolves once `predicate` holds, checking it at once and then every `intervalMs`; rejects after
 * `timeoutMs`. A bare number is the timeout. Tests wait on a condition this way, never on a fixed sleep.
 */
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
