import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobQueue } from '@whatisup/core';
import { until } from '@whatisup/test-infra';
import { createInProcessJobQueue, type InProcessJobQueueOptions } from '../src/index.js';

describe('in-process job queue', () => {
  const queues: JobQueue[] = [];
  const open = (options: InProcessJobQueueOptions = {}) => {
    const queue = createInProcessJobQueue({ retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 40 }, ...options });
    queues.push(queue);
    return queue;
  };
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
  });

  it('holds at most maxJobs live jobs, reports the ids it drops, and takes them once there is room', async () => {
    const dropped: string[] = [];
    const queue = open({ maxJobs: 2, onDropped: (id) => dropped.push(id) });
    await queue.enqueue([{ id: 'a', delayMs: 10_000 }, { id: 'b', delayMs: 10_000 }, { id: 'c' }]);
    expect(dropped).toEqual(['c']);
    expect(await queue.isHeld('c')).toBe(false);
    await queue.enqueue([{ id: 'a' }]); // an existing id is still woken
    const ran: string[] = [];
    queue.startWorker(async (job) => void ran.push(job.id), { concurrency: 1 });
    await until(() => ran.includes('a'), { message: 'a to run' });
    await queue.enqueue([{ id: 'c' }]);
    await until(() => ran.includes('c'), { message: 'c to run once there is room' });
  });

  it('runs a job abandoned at a close timeout again on another worker, and ignores the late result', async () => {
    const queue = open();
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    let abandonedReturned!: () => void;
    const abandonedRunReturned = new Promise<void>((resolve) => (abandonedReturned = resolve));
    const firstRuns: Job[] = [];
    const first = queue.startWorker(
      async (job) => {
        firstRuns.push(job);
        await stuck;
        abandonedReturned();
      },
      { concurrency: 1 },
    );
    await queue.enqueue([{ id: 'drain' }]);
    await until(() => firstRuns.length === 1, { message: 'the first run' });
    await first.close({ timeoutMs: 50 });
    expect(await queue.isHeld('drain')).toBe(true);

    const secondRuns: Job[] = [];
    let finishSecond!: () => void;
    const secondHeld = new Promise<void>((resolve) => (finishSecond = resolve));
    queue.startWorker(
      async (job) => {
        secondRuns.push(job);
        await secondHeld;
      },
      { concurrency: 1 },
    );
    await until(() => secondRuns.length === 1, { message: 'the run on the second worker' });
    release(); // the abandoned run ends now: it must not free the id the second run holds
    await abandonedRunReturned;
    // The queue settles a returned run in promise callbacks only, so one macrotask later that is done.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await queue.isHeld('drain')).toBe(true);
    finishSecond();
    await until(async () => !(await queue.isHeld('drain')), { message: 'the id to be free' });
    expect(secondRuns.map((job) => job.attempt)).toEqual([1]);
  });

  it('rejects an enqueue after close, and closing twice is harmless', async () => {
    const queue = open();
    await queue.close();
    await queue.close();
    await expect(queue.enqueue([{ id: 'late' }])).rejects.toThrow(/closed/);
  });

  it('does not keep the process alive for a delayed job', async () => {
    const queue = open();
    await queue.enqueue([{ id: 'far', delayMs: 60_000 }]);
    const handles = process.getActiveResourcesInfo();
    // A refed 60 s timer would show up as an active 'Timeout' resource; unref'd ones do not.
    const before = handles.filter((name) => name === 'Timeout').length;
    await queue.enqueue([{ id: 'far2', delayMs: 60_000 }]);
    const after = process
      .getActiveResourcesInfo()
      .filter((name) => name === 'Timeout').length;
    expect(after).toBe(before);
  });
});
