import { afterEach } from 'vitest';
import { describeHostGateContract } from '@whatisup/core/testing';
import { describeWithRedis, testRedisUrl, uniqueRedisPrefix } from '@whatisup/test-infra';
import { createRedisHostGate, type RedisHostGate } from '../src/index.js';
import { deleteKeysWithPrefix } from './redis-test-keys.js';

describeWithRedis('Redis host gate', () => {
  const opened: { gate: RedisHostGate; prefix: string }[] = [];

  afterEach(async () => {
    for (const { gate, prefix } of opened.splice(0)) {
      await gate.close();
      await deleteKeysWithPrefix(testRedisUrl(), prefix);
    }
  });

  describeHostGateContract('Redis', async ({ limit, leaseMs }) => {
    const prefix = uniqueRedisPrefix('gate');
    const gate = createRedisHostGate({ redisUrl: testRedisUrl(), prefix, limit, leaseMs });
    opened.push({ gate, prefix });
    return gate;
  });
});
