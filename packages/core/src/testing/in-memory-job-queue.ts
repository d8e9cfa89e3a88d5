/*
 * The job-queue port in one process, with real timers: the semantics of the BullMQ adapter (one live
 * job per id, bring-forward of delayed jobs, re-wake while active, defer without spending an attempt,
 * bounded retry) without Redis. Passes the same contract suite. One worker per queue.
 */
import {
  DEFAULT_JOB_RETRY_POLICY,
  jobRetryDelayMs,
  type Job,
  type JobHandler,
  type JobQueue,
  type JobRequest,
  type JobRetryPolicy,
  type JobWorker,
  type JobWorkerOptions,
} from '../shared/index.js';

export interface InMemoryJobQueueOptions {
  readonly retry?: JobRetryPolicy;
  /** Default wait for running jobs when closing (ms). */
  readonly closeTimeoutMs?: number;
}

interface Entry {
  readonly id: string;
  data: Readonly<Record<string, string>>;
  failures: number;
  state: 'waiting' | 'delayed' | 'active';
  runAt: number;
  timer?: NodeJS.Timeout;
  rewake?: { delayMs: number; data: Readonly<Record<string, string>> };
}

interface RunningWorker {
  readonly handler: JobHandler;
  readonly options: JobWorkerOptions;
  readonly running: Set<Promise<void>>;
  closed: boolean;
}

export function createInMemoryJobQueue(options: InMemoryJobQueueOptions = {}): JobQueue {
  const retry = options.retry ?? DEFAULT_JOB_RETRY_POLICY;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  const entries = new Map<string, Entry>();
  const ready: Entry[] = [];
  let worker: RunningWorker | null = null;
  let closed = false;

  const makeReady = (entry: Entry): void => {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.state = 'waiting';
    ready.push(entry);
    pump();
  };

  const schedule = (entry: Entry, delayMs: number): void => {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    if (closed) return; // a closed queue keeps no timer alive
    if (delayMs <= 0) return makeReady(entry);
    entry.state = 'delayed';
    entry.runAt = Date.now() + delayMs;
    entry.timer = setTimeout(() => makeReady(entry), delayMs);
  };

  const create = (id: string, data: Readonly<Record<string, string>>, delayMs: number): void => {
    const entry: Entry = { id, data, failures: 0, state: 'delayed', runAt: 0 };
    entries.set(id, entry);
    schedule(entry, delayMs);
  };

  const finish = (entry: Entry): void => {
    entries.delete(entry.id);
    if (entry.rewake) create(entry.id, entry.rewake.data, entry.rewake.delayMs);
  };

  // The deferred run is the re-wake's run: a wake that came during the run and is due sooner brings it forward.
  const deferred = (entry: Entry, deferMs: number): void => {
    const rewake = entry.rewake;
    entry.rewake = undefined;
    if (rewake) entry.data = rewake.data;
    schedule(entry, Math.min(deferMs, rewake?.delayMs ?? Infinity));
  };

  const pump = (): void => {
    const current = worker;
    if (!current || current.closed) return;
    while (current.running.size < current.options.concurrency && ready.length > 0) {
      const entry = ready.shift()!;
      const run: Promise<void> = execute(current, entry).finally(() => {
        current.running.delete(run);
        pump();
      });
      current.running.add(run);
    }
  };

  const execute = async (current: RunningWorker, entry: Entry): Promise<void> => {
    entry.state = 'active';
    const job: Job = { id: entry.id, data: entry.data, attempt: entry.failures + 1 };
    try {
      const outcome = await current.handler(job);
      if (outcome && typeof outcome.deferMs === 'number') deferred(entry, outcome.deferMs);
      else finish(entry);
    } catch (error) {
      entry.failures += 1;
      const willRetry = entry.failures < retry.attempts;
      current.options.onError?.(error, job, willRetry);
      if (willRetry) schedule(entry, jobRetryDelayMs(entry.failures, retry));
      else finish(entry);
    }
  };

  const enqueueOne = (request: JobRequest): void => {
    const delayMs = Math.max(0, request.delayMs ?? 0);
    const data = request.data ?? {};
    const entry = entries.get(request.id);
    if (!entry) return create(request.id, data, delayMs);
    if (request.onlyIfAbsent) return;
    if (entry.state === 'active') entry.rewake = { delayMs, data };
    else if (entry.state === 'delayed' && Date.now() + delayMs < entry.runAt) schedule(entry, delayMs);
  };

  const closeWorker = async (current: RunningWorker, timeoutMs: number): Promise<void> => {
    current.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...current.running]), timeout]);
    clearTimeout(timer);
    if (worker === current) worker = null;
  };

  return {
    async enqueue(jobs) {
      for (const request of jobs) enqueueOne(request);
    },
    async isHeld(id) {
      return entries.has(id);
    },
    startWorker(handler, workerOptions): JobWorker {
      if (worker) throw new Error('The in-memory job queue supports one worker at a time.');
      const current: RunningWorker = { handler, options: workerOptions, running: new Set(), closed: false };
      worker = current;
      // Jobs that became ready before the worker started wait in `ready`.
      queueMicrotask(pump);
      return { close: (closeOptions) => closeWorker(current, closeOptions?.timeoutMs ?? closeTimeoutMs) };
    },
    async close() {
      closed = true;
      if (worker) await closeWorker(worker, closeTimeoutMs);
      for (const entry of entries.values()) if (entry.timer) clearTimeout(entry.timer);
    },
  };
}
