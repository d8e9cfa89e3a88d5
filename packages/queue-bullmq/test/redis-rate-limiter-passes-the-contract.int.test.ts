import { afterEach, describe, expect, it } from 'vitest';
import { describeRateLimiterContract } from '@whatisup/core/testing';
import { describeWithRedis, sleep, testRedisUrl, uniqueRedisPrefix } from '@whatisup/test-infra';
import { Redis } from 'ioredis';
import { createRedisRateLimiter, type RedisRateLimiter } from '../src/index.js';
import { deleteKeysWithPrefix } from './redis-test-keys.js';

describeWithRedis('Redis rate limiter (contract and Redis specifics)', () => {
  const opened: { limiter: RedisRateLimiter; prefix: string }[] = [];

  afterEach(async () => {
    for (const { limiter, prefix } of opened.splice(0)) {
      await limiter.close();
      await deleteKeysWithPrefix(testRedisUrl(), prefix);
    }
  });

  function open(policy: { capacity: number; refillPerSecond: number }): { limiter: RedisRateLimiter; prefix: string } {
    const prefix = uniqueRedisPrefix('rate');
    const limiter = createRedisRateLimiter({ redisUrl: testRedisUrl(), prefix, ...policy });
    opened.push({ limiter, prefix });
    return { limiter, prefix };
  }

  describeRateLimiterContract('Redis', async (policy) => open(policy).limiter);

  describe('Redis rate limiter', () => {
    it('shares one bucket between limiters on different connections (processes)', async () => {
      const { limiter: first, prefix } = open({ capacity: 10, refillPerSecond: 0.001 });
      const second = createRedisRateLimiter({ redisUrl: testRedisUrl(), prefix, capacity: 10, refillPerSecond: 0.001 });
      opened.push({ limiter: second, prefix });
      const states = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? first : second).take('cust_shared')),
      );
      expect(states.filter((s) => s.allowed)).toHaveLength(10);
    });

    it('lets a bucket key expire when the bucket would be full again, and keeps nothing for a peek', async () => {
      const { limiter, prefix } = open({ capacity: 2, refillPerSecond: 10 });
      const redis = new Redis(testRedisUrl());
      try {
        await limiter.peek('cust_idle');
        expect(await redis.exists(`${prefix}:rate-limit:cust_idle`)).toBe(0);
        await limiter.take('cust_idle');
        const ttl = await redis.pttl(`${prefix}:rate-limit:cust_idle`);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(100);
      } finally {
        await redis.quit();
      }
    });

    it('limits again, with the bucket it had, once its lost connection is back', async () => {
      const { limiter, prefix } = open({ capacity: 5, refillPerSecond: 0.001 });
      await limiter.take('cust_k');
      await limiter.take('cust_k');
      const admin = new Redis(testRedisUrl());
      try {
        const list = (await admin.client('LIST')) as string;
        const line = list.split('\n').find((entry) => entry.includes(`name=wiu-rate-limiter:${prefix} `));
        await admin.client('KILL', 'ID', /(?:^| )id=(\d+)/.exec(line!)![1]!);
      } finally {
        await admin.quit();
      }
      let state = await limiter.take('cust_k').catch(() => null);
      for (let i = 0; state === null && i < 40; i++) {
        await sleep(50);
        state = await limiter.take('cust_k').catch(() => null);
      }
      expect(state).toMatchObject({ allowed: true, remaining: 2 });
    });

    it('rejects promptly, rather than hanging, when Redis is unreachable', async () => {
      const errors: Error[] = [];
      const limiter = createRedisRateLimiter({
        redisUrl: 'redis://127.0.0.1:1',
        capacity: 5,
        refillPerSecond: 1,
        commandTimeoutMs: 300,
        onConnectionError: (error) => errors.push(error),
      });
      try {
        const started = Date.now();
        await expect(limiter.take('cust_x')).rejects.toThrow();
        await expect(limiter.peek('cust_x')).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(1_000);
        expect(errors.length).toBeGreaterThan(0);
      } finally {
        await limiter.close();
      }
    });
  });
});
