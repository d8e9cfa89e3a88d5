import { expect, it } from 'vitest';
import { describeWithRedis, until } from '@whatisup/test-infra';
import type { Job } from '@whatisup/core';
import { useTestQueues } from './test-queues.js';

describeWithRedis('a producer-only queue and a worker on another queue object (two processes)', () => {
  const queues = useTestQueues();

  it('runs in the worker what the producer enqueued, and both see the id held', async () => {
    const prefix = queues.newPrefix();
    const api = queues.open({}, prefix);
    const worker = queues.open({}, prefix);
    const runs: Job[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    worker.startWorker(
      async (job) => {
        runs.push(job);
        await released;
      },
      { concurrency: 1 },
    );

    await api.enqueue([{ id: 'dlv_01', data: { endpointId: 'wh_1' } }]);
    await until(() => runs.length === 1, { message: 'the worker to run the job' });
    expect(await api.isHeld('dlv_01')).toBe(true);
    release();
    await until(async () => !(await api.isHeld('dlv_01')), { message: 'the id to be free' });
    expect(runs).toEqual([{ id: 'dlv_01', data: { endpointId: 'wh_1' }, attempt: 1 }]);
  });

  it('splits jobs between two workers without running any twice', async () => {
    const prefix = queues.newPrefix();
    const api = queues.open({}, prefix);
    const seen: string[] = [];
    for (const _ of [1, 2]) {
      queues.open({}, prefix).startWorker(async (job) => void seen.push(job.id), { concurrency: 3 });
    }
    await api.enqueue(Array.from({ length: 40 }, (_, i) => ({ id: `dlv_${i}` })));
    await until(() => seen.length >= 40, { message: 'forty runs' });
    expect(new Set(seen).size).toBe(40);
    expect(seen).toHaveLength(40);
  });
});
