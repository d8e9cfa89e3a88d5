import { afterEach } from 'vitest';
import { testRedisUrl, uniqueRedisPrefix } from '@whatisup/test-infra';
import { createBullmqJobQueue, type BullmqJobQueue, type BullmqJobQueueOptions } from '../src/index.js';
import { deleteKeysWithPrefix } from './redis-test-keys.js';

type QueueOverrides = Partial<Omit<BullmqJobQueueOptions, 'redisUrl' | 'prefix'>>;

/**
 * Per test file: `open(overrides, prefix?)` makes a BullMQ queue under a unique prefix (or a given one, to
 * model a second process on the same queue); after each test every queue is closed and its keys deleted.
 */
export function useTestQueues() {
  const queues: BullmqJobQueue[] = [];
  const prefixes = new Set<string>();
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
    for (const prefix of prefixes) await deleteKeysWithPrefix(testRedisUrl(), prefix);
    prefixes.clear();
  });
  return {
    newPrefix: () => uniqueRedisPrefix('queue'),
    open(overrides: QueueOverrides = {}, prefix = uniqueRedisPrefix('queue')): BullmqJobQueue {
      prefixes.add(prefix);
      const queue = createBullmqJobQueue({
        redisUrl: testRedisUrl(),
        name: 'test',
        prefix,
        retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 40 },
        closeTimeoutMs: 2_000,
        ...overrides,
      });
      queues.push(queue);
      return queue;
    },
  };
}
