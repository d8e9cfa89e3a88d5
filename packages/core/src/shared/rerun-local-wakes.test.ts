import { describe, expect, it } from 'vitest';
import { describeJobQueueContract } from '../testing/contracts/job-queue.contract.js';
import { createInMemoryJobQueue } from '../testing/in-memory-job-queue.js';
import { until } from '../testing/wait.js';
import type { Job, JobOutcome, JobQueue, JobRequest } from './job-queue.js';
import { rerunLocalWakes } from './rerun-local-wakes.js';

// The decorator keeps every promise of the port.
describeJobQueueContract('in-memory, wakes of local runs answered locally', async (options) => rerunLocalWakes(createInMemoryJobQueue(options)));

/** The in-memory queue with every request that reaches it recorded. */
function countedQueue(): { queue: JobQueue; reached: JobRequest[] } {
  const inner = createInMemoryJobQueue({ retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 10 }, closeTimeoutMs: 1_000 });
  const reached: JobRequest[] = [];
  return {
    reached,
    queue: {
      ...inner,
      enqueue: (jobs) => (reached.push(...jobs), inner.enqueue(jobs)),
    },
  };
}

function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** A worker whose first run waits for `release`; `behaviour` says what a run returns. */
function startHeld(queue: JobQueue, behaviour: (run: number) => JobOutcome | Promise<JobOutcome> = () => undefined) {
  const runs: Job[] = [];
  const release = latch();
  const worker = queue.startWorker(
    async (job) => {
      runs.push(job);
      if (runs.length === 1) await release.opened;
      return behaviour(runs.length);
    },
    { concurrency: 2 },
  );
  return { runs, release, worker };
}

describe('rerunLocalWakes', () => {
  it('answers a wake for a job running here by running it once more, without reaching the queue', async () => {
    const { queue: inner, reached } = countedQueue();
    const queue = rerunLocalWakes(inner);
    const { runs, release } = startHeld(queue);
    await queue.enqueue([{ id: 'outbox:a' }]);
    await until(() => runs.length === 1);
    await queue.enqueue([{ id: 'outbox:a', data: { n: '1' } }]);
    await queue.enqueue([{ id: 'outbox:a', data: { n: '2' } }, { id: 'outbox:b' }]);
    expect(await queue.isHeld('outbox:a')).toBe(true);
    expect(reached.map((request) => request.id)).toEqual(['outbox:a', 'outbox:b']);
    release.open();
    await until(() => runs.filter((job) => job.id === 'outbox:a').length === 2);
    expect(runs.filter((job) => job.id === 'outbox:a')[1]).toEqual({ id: 'outbox:a', data: { n: '2' }, attempt: 1 });
    await until(async () => !(await queue.isHeld('outbox:a')));
    expect(runs.filter((job) => job.id === 'outbox:a')).toHaveLength(2);
    await queue.close();
  });

  it('leaves a delayed wake to the queue, and drops a safety net wake for a running job', async () => {
    const { queue: inner, reached } = countedQueue();
    const queue = rerunLocalWakes(inner);
    const { runs, release } = startHeld(queue);
    await queue.enqueue([{ id: 'outbox:a' }]);
    await until(() => runs.length === 1);
    await queue.enqueue([{ id: 'outbox:a', onlyIfAbsent: true }]);
    await queue.enqueue([{ id: 'outbox:a', delayMs: 20 }]);
    expect(reached).toEqual([{ id: 'outbox:a' }, { id: 'outbox:a', delayMs: 20 }]);
    release.open();
    await until(() => runs.length === 2, { message: "the queue's delayed re-wake" });
    await queue.close();
  });

  it('hands a wake noted during a run that throws to the queue, whose retry then runs too', async () => {
    const { queue: inner, reached } = countedQueue();
    const queue = rerunLocalWakes(inner);
    const { runs, release } = startHeld(queue, (run) => {
      if (run === 1) throw new Error('drain failed');
      return undefined;
    });
    await queue.enqueue([{ id: 'outbox:a' }]);
    await until(() => runs.length === 1);
    await queue.enqueue([{ id: 'outbox:a' }]);
    expect(reached).toHaveLength(1);
    release.open();
    await until(() => reached.length === 2, { message: 'the wake handed on' });
    await until(() => runs.length >= 2, { message: 'a run after the failure' });
    await queue.close();
  });

  it('hands a wake noted while the worker closes to the queue instead of running again', async () => {
    const { queue: inner, reached } = countedQueue();
    const queue = rerunLocalWakes(inner);
    const { runs, release, worker } = startHeld(queue);
    await queue.enqueue([{ id: 'outbox:a' }]);
    await until(() => runs.length === 1);
    await queue.enqueue([{ id: 'outbox:a' }]);
    const closed = worker.close({ timeoutMs: 1_000 });
    release.open();
    await closed;
    expect(runs).toHaveLength(1);
    expect(reached).toEqual([{ id: 'outbox:a' }, { id: 'outbox:a' }]);
    await queue.close();
  });
});
