/*
 * A readiness probe made while the health check's own connection is still being opened (right after the
 * process started) waits for it within the deadline and says "up", instead of reporting Redis down.
 */
import { describeWithRedis, testRedisUrl } from '@whatisup/test-infra';
import { expect, it } from 'vitest';
import { createRedisHealthCheck } from '../src/index.js';

describeWithRedis('the Redis health check', () => {
  it('answers up when asked before its connection is open', async () => {
    const health = createRedisHealthCheck({ redisUrl: testRedisUrl(), timeoutMs: 2_000 });
    try {
      expect(await health.check()).toBe(true);
      expect(await health.check()).toBe(true);
    } finally {
      await health.close();
    }
  });

  it('leaves no listener behind on a connection that does not come up', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning);
    process.on('warning', onWarning);
    const health = createRedisHealthCheck({ redisUrl: 'redis://127.0.0.1:1', timeoutMs: 50 });
    try {
      for (let i = 0; i < 20; i++) expect(await health.check()).toBe(false);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await health.close();
    }
  });
});
