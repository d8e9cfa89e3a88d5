/*
 * The job-queue port inside one process, for running without Redis (the embedded mode). Semantics follow
 * the port and the BullMQ adapter: one live job per id, delayed jobs brought forward never pushed back, a
 * wake while active becomes one more run after it, `{ deferMs }` re-runs without spending an attempt, a
 * thrown error is retried with the bounded backoff and then dropped.
 *
 * Nothing here survives the process, which is fine by the port's design: Postgres holds the schedule and the
 * sweepers re-enqueue whatever is due and not held, so a crash or restart loses no work, only wakes.
 * Memory is bounded: at most `maxJobs` live jobs (one per id); a new id beyond that is dropped, reported,
 * and re-driven by a sweeper later. Timers are unref'd, so the queue never keeps a process alive.
 */
import {
  DEFAULT_JOB_RETRY_POLICY,
  jobRetryDelayMs,
  type Job,
  type JobHandler,
  type JobQueue,
  type JobRetryPolicy,
  type JobWorker,
  type JobWorkerOptions,
} from '@whatisup/core';
import { createJobTable, type LiveJob } from './job-table.js';

export interface InProcessJobQueueOptions {
  /** Retries of handlers that throw. */
  readonly retry?: JobRetryPolicy;
  /** How long closing waits for running handlers (ms); default 10 s. */
  readonly closeTimeoutMs?: number;
  /** Most live jobs held at once; default 100 000. */
  readonly maxJobs?: number;
  /** A new job was refused because `maxJobs` are live; its sweeper will enqueue it again. Default: ignored. */
  readonly onDropped?: (id: string) => void;
}

interface Pool {
  readonly handler: JobHandler;
  readonly options: JobWorkerOptions;
  /** Each run in flight and the job it runs. */
  readonly running: Map<Promise<void>, LiveJob>;
  accepting: boolean;
}

/** Jobs in the queue by state, for metrics (the same shape the BullMQ adapter reports). */
export interface InProcessJobCounts {
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
}

export interface InProcessJobQueue extends JobQueue {
  /** The live jobs by state; a re-wake of an active job counts once, as the job it belongs to. */
  jobCounts(): Promise<InProcessJobCounts>;
}

export function createInProcessJobQueue(options: InProcessJobQueueOptions = {}): InProcessJobQueue {
  const retry = options.retry ?? DEFAULT_JOB_RETRY_POLICY;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  // Runnable ids in the order they became runnable (a Set keeps insertion order and deletes in O(1)).
  const ready = new Set<string>();
  const pools: Pool[] = [];
  const workers = new Set<JobWorker>();
  let closed = false;
  let closing: Promise<void> | undefined;
  let pumping = false;

  const table = createJobTable({
    maxJobs: options.maxJobs ?? 100_000,
    onRunnable: (job) => {
      ready.add(job.id);
      pump();
    },
    onDropped: (id) => options.onDropped?.(id),
  });

  function pump(): void {
    if (pumping) return; // a run finishing inside a pump re-enters here; the outer loop picks it up
    pumping = true;
    try {
      // Until nothing changes: a handler that enqueues synchronously may make work for a pool already passed.
      for (let progressed = true; progressed; ) {
        progressed = false;
        for (const pool of pools) {
          while (pool.accepting && pool.running.size < pool.options.concurrency && ready.size > 0) {
            const id = ready.values().next().value as string;
            ready.delete(id);
            const job = table.get(id);
            if (job?.state === 'waiting') run(pool, job);
            progressed = true;
          }
        }
      }
    } finally {
      pumping = false;
    }
  }

  function run(pool: Pool, live: LiveJob): void {
    live.state = 'active';
    const token = ++live.runToken;
    const job: Job = { id: live.id, data: live.data, attempt: live.failures + 1 };
    const settled = (async () => {
      let outcome;
      try {
        outcome = await pool.handler(job);
      } catch (error) {
        if (live.runToken === token && table.get(live.id) === live) failed(pool, live, job, error);
        return;
      }
      if (live.runToken !== token || table.get(live.id) !== live) return; // abandoned at a close timeout
      if (outcome && typeof outcome.deferMs === 'number') deferred(live, outcome.deferMs);
      else table.finish(live);
    })();
    pool.running.set(settled, live);
    void settled.finally(() => {
      pool.running.delete(settled);
      pump();
    });
  }

  function deferred(live: LiveJob, deferMs: number): void {
    // The deferred run is the re-wake's run; a re-wake due sooner brings it forward, as a wake would.
    const rewakeMs = live.rewake?.delayMs ?? Infinity;
    if (live.rewake) live.data = live.rewake.data;
    live.rewake = undefined;
    table.schedule(live, Date.now() + Math.min(Math.max(0, deferMs), rewakeMs));
  }

  function failed(pool: Pool, live: LiveJob, job: Job, error: unknown): void {
    live.failures += 1;
    const willRetry = live.failures < retry.attempts;
    try {
      pool.options.onError?.(error, job, willRetry);
    } catch {
      // onError must not throw; if it does, the job's fate must not depend on it.
    }
    if (!willRetry) return table.finish(live);
    // The retry is the re-wake's run (as in BullMQ, the job stays the same until it finishes).
    if (live.rewake) live.data = live.rewake.data;
    live.rewake = undefined;
    table.schedule(live, Date.now() + jobRetryDelayMs(live.failures, retry));
  }

  function startWorker(handler: JobHandler, workerOptions: JobWorkerOptions): JobWorker {
    if (closed) throw new Error('The job queue is closed.');
    if (!Number.isInteger(workerOptions.concurrency) || workerOptions.concurrency < 1) {
      throw new RangeError('concurrency must be a positive integer');
    }
    const pool: Pool = { handler, options: workerOptions, running: new Map(), accepting: true };
    pools.push(pool);
    let workerClosing: Promise<void> | undefined;
    const worker: JobWorker = {
      close(closeOptions) {
        workerClosing ??= closeWorker(pool, closeOptions?.timeoutMs ?? closeTimeoutMs);
        return workerClosing;
      },
    };
    workers.add(worker);
    queueMicrotask(pump);
    return worker;
  }

  async function closeWorker(pool: Pool, timeoutMs: number): Promise<void> {
    pool.accepting = false;
    const index = pools.indexOf(pool);
    if (index >= 0) pools.splice(index, 1);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    await Promise.race([Promise.allSettled([...pool.running.keys()]), timedOut]);
    clearTimeout(timer);
    // Runs still going are abandoned: their jobs become runnable again (for the remaining workers) and
    // their late results are ignored.
    for (const live of pool.running.values()) {
      if (live.state !== 'active' || table.get(live.id) !== live) continue;
      live.runToken += 1;
      table.schedule(live, Date.now());
    }
    pool.running.clear();
  }


  return {
    async enqueue(requests) {
      if (closed) throw new Error('The job queue is closed.');
      for (const request of requests) table.wake(request);
    },
    async isHeld(id) {
      return table.has(id);
    },
    startWorker,
    async jobCounts() {
      return table.counts();
    },
    close() {
      closed = true;
      closing ??= (async () => {
        await Promise.all([...workers].map((worker) => worker.close()));
        table.clear();
        ready.clear();
      })();
      return closing;
    },
  };
}
