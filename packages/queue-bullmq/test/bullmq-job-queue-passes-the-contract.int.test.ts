import { afterEach } from 'vitest';
import { describeJobQueueContract } from '@whatisup/core/testing';
import { describeWithRedis, testRedisUrl, uniqueRedisPrefix } from '@whatisup/test-infra';
import { createBullmqJobQueue } from '../src/index.js';
import { deleteKeysWithPrefix } from './redis-test-keys.js';

describeWithRedis('BullMQ job queue', () => {
  const prefixes: string[] = [];

  // Registered before the contract's own afterEach, so it runs after the queues are closed.
  afterEach(async () => {
    await Promise.all(prefixes.splice(0).map((prefix) => deleteKeysWithPrefix(testRedisUrl(), prefix)));
  });

  describeJobQueueContract('BullMQ', async ({ retry, closeTimeoutMs }) => {
    const prefix = uniqueRedisPrefix('queue');
    prefixes.push(prefix);
    return createBullmqJobQueue({ redisUrl: testRedisUrl(), name: 'contract', prefix, retry, closeTimeoutMs });
  });
});
