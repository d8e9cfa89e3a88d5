import { expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { describeWithRedis, testRedisUrl, until } from '@whatisup/test-infra';
import { useTestQueues } from './test-queues.js';

describeWithRedis('a handler error', () => {
  const queues = useTestQueues();

  it('goes to the onError hook, never into Redis where the job waits for its retry', async () => {
    const prefix = queues.newPrefix();
    const queue = queues.open({ retry: { attempts: 2, baseDelayMs: 60_000, maxDelayMs: 60_000 } }, prefix);
    const reported: unknown[] = [];
    queue.startWorker(
      async () => {
        throw new Error('POST https://user:whsec_SECRETVALUE@example.com failed');
      },
      { concurrency: 1, onError: (error) => reported.push(error) },
    );
    await queue.enqueue([{ id: 'dlv_err' }]);
    await until(() => reported.length === 1, { message: 'the failure report' });
    await until(async () => (await dumpValues(prefix)).some((value) => value.includes('job handler failed')), { message: 'the stored failure' });

    expect(String(reported[0])).toContain('whsec_SECRETVALUE');
    expect((await dumpValues(prefix)).filter((value) => value.includes('SECRETVALUE'))).toEqual([]);
    expect(await queue.isHeld('dlv_err')).toBe(true);
  });
});

/** Every string stored under the prefix (hashes, strings, lists, sets, streams flattened). */
async function dumpValues(prefix: string): Promise<string[]> {
  const redis = new Redis(testRedisUrl());
  try {
    const values: string[] = [];
    for (const key of await redis.keys(`${prefix}:*`)) {
      const type = await redis.type(key);
      if (type === 'hash') values.push(...Object.values(await redis.hgetall(key)));
      else if (type === 'string') values.push((await redis.get(key)) ?? '');
      else if (type === 'list') values.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'zset') values.push(...(await redis.zrange(key, 0, -1)));
      else if (type === 'set') values.push(...(await redis.smembers(key)));
      else if (type === 'stream') values.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
    return values;
  } finally {
    await redis.quit();
  }
}
