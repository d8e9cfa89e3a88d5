import { expect, it } from 'vitest';
import { describeWithRedis, until } from '@whatisup/test-infra';
import type { Job } from '@whatisup/core';
import { useTestQueues } from './test-queues.js';

describeWithRedis('a job whose worker died mid-run', () => {
  const queues = useTestQueues();

  it('runs again on a live worker once the dead worker’s lock lapses', async () => {
    const prefix = queues.newPrefix();
    const stalled = { lockMs: 300, checkIntervalMs: 200 };
    const dying = queues.open({ stalled }, prefix);
    const survivor = queues.open({ stalled }, prefix);
    let stuck!: () => void;
    const stuckRun = new Promise<void>((resolve) => (stuck = resolve));

    const dyingRuns: Job[] = [];
    const dyingWorker = dying.startWorker(
      async (job) => {
        dyingRuns.push(job);
        await stuckRun;
      },
      { concurrency: 1 },
    );
    await dying.enqueue([{ id: 'dlv_mid_request' }]);
    await until(() => dyingRuns.length === 1, { message: 'the first run' });
    // The close timeout abandons the run, as a kill -9 would: nothing completes the job.
    await dyingWorker.close({ timeoutMs: 50 });

    const survivorRuns: Job[] = [];
    survivor.startWorker(async (job) => void survivorRuns.push(job), { concurrency: 1 });
    await until(() => survivorRuns.length === 1, { message: 'the run on the live worker', timeoutMs: 10_000 });
    expect(survivorRuns[0]!.id).toBe('dlv_mid_request');
    stuck();
  });
});
