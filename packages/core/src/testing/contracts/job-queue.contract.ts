import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobOutcome, JobQueue, JobRetryPolicy } from '../../shared/index.js';
import { sleep, until } from '../wait.js';

export interface JobQueueContractOptions {
  readonly retry: JobRetryPolicy;
  readonly closeTimeoutMs: number;
}

/**
 * A fresh, empty queue for one test (its own name/prefix). The suite closes every queue it created after
 * each test; the factory's owner deletes whatever storage it used (e.g. the Redis keys of its prefix).
 */
export type JobQueueFactory = (options: JobQueueContractOptions) => Promise<JobQueue>;

const fastRetry: JobRetryPolicy = { attempts: 3, baseDelayMs: 20, maxDelayMs: 40 };

/** A promise to resolve from outside: lets a test hold a handler mid-run. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

interface Run {
  readonly job: Job;
  readonly startedAt: number;
  endedAt?: number;
}

/** Records every run; `behaviour` decides what a run does. */
function recorder(behaviour: (job: Job, run: Run) => Promise<JobOutcome> = async () => undefined) {
  const runs: Run[] = [];
  let active = 0;
  let maxActive = 0;
  const handler = async (job: Job): Promise<JobOutcome> => {
    const run: Run = { job, startedAt: Date.now() };
    runs.push(run);
    maxActive = Math.max(maxActive, ++active);
    try {
      return await behaviour(job, run);
    } finally {
      active -= 1;
      run.endedAt = Date.now();
    }
  };
  return { handler, runs, maxActive: () => maxActive, of: (id: string) => runs.filter((r) => r.job.id === id) };
}

/** The behaviour every `JobQueue` must have. */
export function describeJobQueueContract(name: string, factory: JobQueueFactory): void {
  describe(`JobQueue contract: ${name}`, () => {
    const opened: JobQueue[] = [];
    const newQueue = async (retry: JobRetryPolicy = fastRetry, closeTimeoutMs = 2_000) => {
      const queue = await factory({ retry, closeTimeoutMs });
      opened.push(queue);
      return queue;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((queue) => queue.close()));
    });

    it('runs an enqueued job once with its id, data and attempt 1', async () => {
      const queue = await newQueue();
      const rec = recorder();
      queue.startWorker(rec.handler, { concurrency: 1 });
      await queue.enqueue([{ id: 'dlv_1', data: { customerId: 'cust_1' } }]);
      await until(() => rec.runs.length === 1 && rec.runs[0]!.endedAt !== undefined, { message: 'the run' });
      await sleep(100);
      expect(rec.runs.map((r) => r.job)).toEqual([{ id: 'dlv_1', data: { customerId: 'cust_1' }, attempt: 1 }]);
    });

    it('holds one job per id: enqueueing a waiting or delayed id again is a no-op', async () => {
      const queue = await newQueue();
      await queue.enqueue([{ id: 'a' }, { id: 'a' }, { id: 'b', delayMs: 150 }]);
      await queue.enqueue([{ id: 'a' }, { id: 'b', delayMs: 150 }, { id: 'b', delayMs: 150 }]);
      const rec = recorder();
      queue.startWorker(rec.handler, { concurrency: 4 });
      await until(() => rec.of('a').length === 1 && rec.of('b').length === 1, { message: 'both jobs' });
      await sleep(300);
      expect(rec.of('a')).toHaveLength(1);
      expect(rec.of('b')).toHaveLength(1);
    });

    it('reports an id as held while its job lives and free once it finished', async () => {
      const queue = await newQueue();
      expect(await queue.isHeld('x')).toBe(false);
      await queue.enqueue([{ id: 'x', delayMs: 100 }]);
      expect(await queue.isHeld('x')).toBe(true);
      const release = latch();
      const rec = recorder(() => release.opened);
      queue.startWorker(rec.handler, { concurrency: 1 });
      await until(() => rec.runs.length === 1, { message: 'the run to start' });
      expect(await queue.isHeld('x')).toBe(true);
      release.open();
      await until(async () => !(await queue.isHeld('x')), { message: 'the id to be free' });
    });

    it('lets a finished id be enqueued again and run again', async () => {
      const queue = await newQueue();
      const rec = recorder();
      queue.startWorker(rec.handler, { concurrency: 1 });
      await queue.enqueue([{ id: 'again' }]);
      await until(async () => rec.runs.length === 1 && !(await queue.isHeld('again')), { message: 'the first run to finish' });
      await queue.enqueue([{ id: 'again' }]);
      await until(() => rec.runs.length === 2, { message: 'the second run' });
    });

    it('does not run a delayed job before its delay', async () => {
      const queue = await newQueue();
      const rec = recorder();
      queue.startWorker(rec.handler, { concurrency: 1 });
      const enqueuedAt = Date.now();
      await queue.enqueue([{ id: 'later', delayMs: 300 }]);
      await until(() => rec.runs.length === 1, { message: 'the delayed run' });
      expect(rec.runs[0]!.startedAt - enqueuedAt).toBeGreaterThanOrEqual(280);
    });

    it('brings a delayed job forward when woken sooner, and never pushes it back', async () => {
      const queue = await newQueue();
      const rec = recorder();
      queue.startWorker(rec.handler, { concurrency: 2 });
      const start = Date.now();
      await queue.enqueue([{ id: 'soon', delayMs: 60_000 }, { id: 'kept', delayMs: 200 }]);
      await queue.enqueue([{ id: 'soon' }, { id: 'kept', delayMs: 60_000 }]);
      await until(() => rec.of('soon').length === 1 && rec.of('kept').length === 1, { message: 'both runs', timeoutMs: 3_000 });
      expect(rec.of('soon')[0]!.startedAt - start).toBeLessThan(1_500);
      expect(rec.of('kept')[0]!.startedAt - start).toBeLessThan(1_500);
    });

    it('runs a deferred job again after the deferral without spending an attempt', async () => {
      const queue = await newQueue();
      const rec = recorder(async (job) => (rec.of(job.id).length < 3 ? { deferMs: 100 } : undefined));
      queue.startWorker(rec.handler, { concurrency: 1 });
      await queue.enqueue([{ id: 'gate-full' }]);
      await until(() => rec.runs.length === 3, { message: 'three runs' });
      expect(rec.runs.map((r) => r.job.attempt)).toEqual([1, 1, 1]);
      expect(rec.runs[1]!.startedAt - rec.runs[0]!.startedAt).toBeGreaterThanOrEqual(90);
      expect(rec.runs[2]!.startedAt - rec.runs[1]!.startedAt).toBeGreaterThanOrEqual(90);
    });

    it('keeps a deferred job held, so a sweeper sees it as live', async () => {
      const queue = await newQueue();
      const rec = recorder(async () => ({ deferMs: 10_000 }));
      queue.startWorker(rec.handler, { concurrency: 1 });
      await queue.enqueue([{ id: 'parked' }]);
      await until(() => rec.runs.length === 1 && rec.runs[0]!.endedAt !== undefined, { message: 'the first run' });
      await sleep(50);
      expect(await queue.isHeld('parked')).toBe(true);
    });

    it('retries a throwing job with a growing attempt number, reports it, then drops it', async () => {
      const queue = await newQueue({ attempts: 3, baseDelayMs: 30, maxDelayMs: 60 });
      const rec = recorder(async () => {
        throw new Error('endpoint exploded');
      });
      const reported: { message: string; attempt: number; willRetry: boolean }[] = [];
      queue.startWorker(rec.handler, {
        concurrency: 1,
        onError: (error, job, willRetry) =>
          reported.push({ message: (error as Error).message, attempt: job.attempt, willRetry }),
      });
      await queue.enqueue([{ id: 'boom' }]);
      await until(() => reported.length === 3, { message: 'three failed runs' });
      await until(async () => !(await queue.isHeld('boom')), { message: 'the job to be dropped' });
      await sleep(150);
      expect(rec.runs.map((r) => r.job.attempt)).toEqual([1, 2, 3]);
      expect(reported.map((r) => r.willRetry)).toEqual([true, true, false]);
      expect(reported.every((r) => r.message === 'endpoint exploded')).toBe(true);
      expect(rec.runs[1]!.startedAt - rec.runs[0]!.endedAt!).toBeGreaterThanOrEqual(25);
    });

    it('runs a job that recovers after a failure to completion', async () => {
      const queue = await newQueue();
      const rec = recorder(async (job) => {
        if (job.attempt === 1) throw new Error('transient');
      });
      queue.startWorker(rec.handler, { concurrency: 1, onError: () => undefined });
      await queue.enqueue([{ id: 'flaky' }]);
      await until(async () => rec.runs.length === 2 && !(await queue.isHeld('flaky')), { message: 'the retry to succeed' });
      await sleep(150);
      expect(rec.runs.map((r) => r.job.attempt)).toEqual([1, 2]);
    });

    it('lets a safety net wake only absent ids: a delayed job keeps its time, an absent one is created', async () => {
      const queue = await newQueue();
      const rec = recorder();
      await queue.enqueue([{ id: 'parked', delayMs: 60_000 }]);
      await queue.enqueue([{ id: 'parked', onlyIfAbsent: true }, { id: 'lost', onlyIfAbsent: true }]);
      queue.startWorker(rec.handler, { concurrency: 1 });
      await until(() => rec.of('lost').length === 1, { message: 'the absent job to run' });
      // Had the wake brought 'parked' forward, it would have been runnable before 'lost' was even added.
      await queue.enqueue([{ id: 'marker' }]);
      await until(() => rec.of('marker').length === 1, { message: 'the marker run' });
      expect(rec.of('parked')).toHaveLength(0);
      expect(await queue.isHeld('parked')).toBe(true);
    });

    it('brings a deferring run forward for a wake that arrived while it was still running', async () => {
      const queue = await newQueue();
      const release = latch();
      const rec = recorder(async (_job, run) => {
        if (rec.runs.indexOf(run) !== 0) return undefined;
        await release.opened;
        return { deferMs: 60_000 };
      });
      queue.startWorker(rec.handler, { concurrency: 1 });
      await queue.enqueue([{ id: 'waiting-on-host' }]);
      await until(() => rec.runs.length === 1, { message: 'the first run to start' });
      await queue.enqueue([{ id: 'waiting-on-host', data: { host: 'a.example' } }]);
      release.open();
      await until(() => rec.runs.length >= 2, { message: 'the woken run, long before the deferral ends' });
      expect(rec.runs[1]!.startedAt).toBeGreaterThanOrEqual(rec.runs[0]!.endedAt!);
    });

    it('re-wakes an active job: one more run starts after the current one ends, never alongside', async () => {
      const queue = await newQueue();
      const release = latch();
      const rec = recorder(async (job, run) => {
        if (rec.runs.indexOf(run) === 0) await release.opened;
        return undefined;
      });
      queue.startWorker(rec.handler, { concurrency: 4 });
      await queue.enqueue([{ id: 'outbox:inst_1' }]);
      await until(() => rec.runs.length === 1, { message: 'the drain to start' });
      await queue.enqueue([{ id: 'outbox:inst_1' }]);
      await queue.enqueue([{ id: 'outbox:inst_1' }, { id: 'outbox:inst_1' }]);
      await sleep(100);
      expect(rec.runs).toHaveLength(1);
      release.open();
      await until(() => rec.runs.length === 2, { message: 'the re-run' });
      await until(async () => !(await queue.isHeld('outbox:inst_1')), { message: 'the id to be free' });
      await sleep(150);
      expect(rec.runs).toHaveLength(2);
      expect(rec.runs[1]!.startedAt).toBeGreaterThanOrEqual(rec.runs[0]!.endedAt!);
    });

    it('never runs more jobs at once than the worker concurrency', async () => {
      const queue = await newQueue();
      const rec = recorder(() => sleep(80));
      queue.startWorker(rec.handler, { concurrency: 2 });
      await queue.enqueue(Array.from({ length: 6 }, (_, i) => ({ id: `c${i}` })));
      await until(() => rec.runs.filter((r) => r.endedAt !== undefined).length === 6, { message: 'six runs' });
      expect(rec.maxActive()).toBe(2);
    });

    it('waits for running jobs when closing', async () => {
      const queue = await newQueue();
      const rec = recorder(() => sleep(250));
      const worker = queue.startWorker(rec.handler, { concurrency: 1 });
      await queue.enqueue([{ id: 'slow' }]);
      await until(() => rec.runs.length === 1, { message: 'the run to start' });
      await worker.close();
      expect(rec.runs[0]!.endedAt).toBeDefined();
    });

    it('stops waiting for a stuck job at the close timeout', async () => {
      const queue = await newQueue();
      const stuck = latch();
      const rec = recorder(() => stuck.opened);
      const worker = queue.startWorker(rec.handler, { concurrency: 1 });
      await queue.enqueue([{ id: 'stuck' }]);
      await until(() => rec.runs.length === 1, { message: 'the run to start' });
      const closing = Date.now();
      await worker.close({ timeoutMs: 150 });
      expect(Date.now() - closing).toBeLessThan(2_000);
      expect(rec.runs[0]!.endedAt).toBeUndefined();
      stuck.open();
    });

    it('keeps jobs enqueued while no worker runs, for a worker started later', async () => {
      const queue = await newQueue();
      await queue.enqueue([{ id: 'p1' }, { id: 'p2', delayMs: 50 }]);
      await sleep(120);
      const rec = recorder();
      queue.startWorker(rec.handler, { concurrency: 1 });
      await until(() => rec.runs.length === 2, { message: 'both queued jobs' });
    });
  });
}
