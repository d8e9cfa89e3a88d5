import { expect, it } from 'vitest';
import { describeWithRedis, until } from '@whatisup/test-infra';
import { useTestQueues } from './test-queues.js';

describeWithRedis('jobCounts', () => {
  const queues = useTestQueues();

  it('counts waiting, delayed and active jobs (for metrics)', async () => {
    const queue = queues.open();
    expect(await queue.jobCounts()).toEqual({ waiting: 0, delayed: 0, active: 0 });
    await queue.enqueue([{ id: 'now-1' }, { id: 'now-2' }, { id: 'later', delayMs: 60_000 }]);
    expect(await queue.jobCounts()).toEqual({ waiting: 2, delayed: 1, active: 0 });

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    queue.startWorker(() => held.then(() => undefined), { concurrency: 1, onError: () => undefined });
    await until(async () => (await queue.jobCounts()).active === 1, { message: 'one active job' });
    expect(await queue.jobCounts()).toEqual({ waiting: 1, delayed: 1, active: 1 });
    release();
  });
});
