/*
 * The ids of the work in progress (the delivery a worker attempts, the instance whose outbox drains or whose
 * socket delivered an event), added to every log line written meanwhile by any logger of the process: the
 * callbacks that log (a failed job, an after-commit effect, a refused URL) are built once, long before the
 * work they report on, so they cannot be handed a child logger. Async context is process-wide by nature
 * (like OpenTelemetry's context manager), hence one store for the process. HTTP requests do not use it:
 * their lines carry their ids through the request's own child logger.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type LogFields = Readonly<Record<string, string>>;

const current = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `fields` added to every log line it (and what it awaits or schedules) writes. */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return current.run({ ...current.getStore(), ...fields }, fn);
}

/** The fields of the work in progress: pino's `mixin`. */
export function logContextFields(): LogFields {
  return current.getStore() ?? {};
}
