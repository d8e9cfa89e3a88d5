/** Named one-shot timers that can all be cleared at once, so a closed session leaves none behind. */
export interface SessionTimers {
  set(name: TimerName, delayMs: number, task: () => void): void;
  clear(name: TimerName): void;
  clearAll(): void;
  has(name: TimerName): boolean;
}

export type TimerName = 'reconnect' | 'pairing' | 'stable';

export function createSessionTimers(): SessionTimers {
  const handles = new Map<TimerName, NodeJS.Timeout>();
  const clear = (name: TimerName): void => {
    const handle = handles.get(name);
    if (handle !== undefined) clearTimeout(handle);
    handles.delete(name);
  };
  return {
    set(name, delayMs, task) {
      clear(name);
      handles.set(
        name,
        setTimeout(() => {
          handles.delete(name);
          task();
        }, delayMs),
      );
    },
    clear,
    clearAll() {
      for (const name of [...handles.keys()]) clear(name);
    },
    has: (name) => handles.has(name),
  };
}

/** Rejects with `onTimeout()` when `promise` has not settled within `ms`; clears its timer either way. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let handle: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    handle = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(handle);
  }
}
