/*
 * The job queue WAKES work; it holds no truth. The database is the source of truth and holds the schedule
 * (a delivery's next_attempt_at, an instance's outbox); a job only says "look at id X now". Losing every
 * job (the queue's store flushed) loses no work: a sweeper re-enqueues what the database says is due. So
 * handlers must be idempotent and re-check their preconditions in the database; a wake that finds nothing
 * to do just returns.
 *
 * One id, one live job. The id is a domain id (a delivery id, `outbox:<instanceId>`). What `enqueue` does
 * depends on the state of the id's live job:
 *   - none                → a job is created, runnable after `delayMs`;
 *   - waiting             → nothing (it is about to run anyway): cheap, so sweepers may enqueue freely;
 *   - delayed             → brought forward if the request is due sooner; never pushed back;
 *   - active (running)    → one more run is guaranteed to START after the current one ends (a "re-wake"),
 *                           `delayMs` after it finished (several re-wakes fold into one, the latest delay
 *                           and data win). If the current run defers, the deferred run is that run.
 * This is what the outbox needs: "drain instance X" runs one at a time per instance, and a message accepted
 * while a drain is running is never stranded behind it.
 *
 * A handler that cannot make progress now returns `{ deferMs }`: the same job runs again later and no
 * attempt is spent (e.g. the per-host gate is full, or pacing). A deferred job may run earlier if someone
 * wakes it, also by a wake that arrived while the deferring run was still active: the deferred run then
 * starts no later than that wake asked. That is one more reason to re-check preconditions. A thrown error is an unexpected failure: it
 * is reported to the worker's `onError` hook and retried with a bounded exponential backoff until the
 * retry policy's attempts are spent; then the job is dropped (the sweeper is the safety net).
 */

/** A request to wake work for `id`. */
export interface JobRequest {
  /** The domain id: at most one live job per id and queue. */
  readonly id: string;
  /** Run no sooner than this (ms from now); 0 or absent: as soon as a worker is free. */
  readonly delayMs?: number;
  /** Small string hints for the handler (e.g. the customer id); the id alone must be enough. */
  readonly data?: Readonly<Record<string, string>>;
  /**
   * A safety net's wake (a sweeper's): creates the job when no live job holds the id, and otherwise does
   * nothing at all, not even bring a delayed job forward or add a re-wake. A live job already knows when
   * to run; a deferred one (e.g. waiting for a slot of its host) must not be pulled out of its wait.
   */
  readonly onlyIfAbsent?: boolean;
}

/** What a handler receives. */
export interface Job {
  readonly id: string;
  /** The data of the request that created this job (a re-wake's data for the re-run). */
  readonly data: Readonly<Record<string, string>>;
  /** 1 on the first run; +1 after each run that threw. Deferring never spends an attempt. */
  readonly attempt: number;
}

/** `undefined`: done. `{ deferMs }`: not now, run this same job again in `deferMs` without spending an attempt. */
export type JobOutcome = void | { readonly deferMs: number };

export type JobHandler = (job: Job) => Promise<JobOutcome>;

export interface JobWorkerOptions {
  /** Jobs of this queue run at most this many at once in this worker. */
  readonly concurrency: number;
  /**
   * Told about every run that threw, with whether it will be retried. Must not throw. The error is
   * whatever the handler threw: log it, never echo it to an API caller.
   */
  readonly onError?: (error: unknown, job: Job, willRetry: boolean) => void;
}

export interface JobWorker {
  /**
   * Stops taking jobs and waits for the running ones, at most `timeoutMs` (default: the queue's close
   * timeout). Runs still going after that are abandoned: their jobs become runnable again later (at least
   * once), never lost. Resolves when nothing of the worker is left open; idempotent.
   */
  close(options?: { readonly timeoutMs?: number }): Promise<void>;
}

/** A named queue. A process that never calls `startWorker` is a producer only (the API process). */
export interface JobQueue {
  /** Wakes work for each request (see the table at the top of this file). Resolves once recorded. */
  enqueue(jobs: readonly JobRequest[]): Promise<void>;
  /** True while a live job (waiting, delayed, active or awaiting a retry) holds `id`; false when absent. */
  isHeld(id: string): Promise<boolean>;
  /** Starts consuming this queue in this process; may be called again for another handler pool. */
  startWorker(handler: JobHandler, options: JobWorkerOptions): JobWorker;
  /** Closes every worker started from this queue (gracefully, see JobWorker.close), then the queue itself. */
  close(): Promise<void>;
}

/** How a thrown error is retried: attempt n waits min(baseDelayMs * 2^(n-1), maxDelayMs) after failing. */
export interface JobRetryPolicy {
  /** Total runs that may throw before the job is dropped (>= 1). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_JOB_RETRY_POLICY: JobRetryPolicy = { attempts: 8, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/** The wait after the `failedAttempts`-th failed run (1-based). */
export function jobRetryDelayMs(failedAttempts: number, policy: JobRetryPolicy): number {
  const exponent = Math.max(0, failedAttempts - 1);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
}
