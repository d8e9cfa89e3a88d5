import { expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { describeWithRedis, testRedisUrl, until } from '@whatisup/test-infra';
import { deleteKeysWithPrefix } from './redis-test-keys.js';
import { useTestQueues } from './test-queues.js';

describeWithRedis('a queue whose Redis data was lost (FLUSHALL, a restart without persistence)', () => {
  const queues = useTestQueues();

  it('reports the id free and runs it when the sweeper enqueues it again', async () => {
    const prefix = queues.newPrefix();
    const queue = queues.open({}, prefix);
    const runs: string[] = [];
    queue.startWorker(async (job) => void runs.push(job.id), { concurrency: 1 });
    await queue.enqueue([{ id: 'dlv_lost', delayMs: 60_000 }]);
    expect(await queue.isHeld('dlv_lost')).toBe(true);

    await deleteKeysWithPrefix(testRedisUrl(), prefix);
    expect(await queue.isHeld('dlv_lost')).toBe(false);
    await queue.enqueue([{ id: 'dlv_lost' }]);
    await until(() => runs.length === 1, { message: 'the re-enqueued run' });
  });

  it('is not fooled by a deduplication key whose job vanished', async () => {
    const prefix = queues.newPrefix();
    const queue = queues.open({}, prefix);
    await queue.enqueue([{ id: 'dlv_half', delayMs: 60_000 }]);
    const redis = new Redis(testRedisUrl());
    try {
      const jobKeys = (await redis.keys(`${prefix}:test:*`)).filter((key) => !/:(de|dn):|:(delayed|meta|events|id|marker)$/.test(key));
      expect(jobKeys.length).toBeGreaterThan(0);
      await redis.del(...jobKeys);
    } finally {
      await redis.quit();
    }
    expect(await queue.isHeld('dlv_half')).toBe(false);
    const runs: string[] = [];
    queue.startWorker(async (job) => void runs.push(job.id), { concurrency: 1 });
    await queue.enqueue([{ id: 'dlv_half' }]);
    await until(() => runs.length === 1, { message: 'the new run' });
  });
});
