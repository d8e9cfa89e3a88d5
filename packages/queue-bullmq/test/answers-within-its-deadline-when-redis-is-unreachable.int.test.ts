/*
 * API requests await the wake-up enqueue after their commit, and /readyz pings Redis: with Redis
 * unreachable, both must answer within their deadline instead of waiting for a reconnect, and closing
 * must not wait for Redis either.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createBullmqJobQueue, createRedisHealthCheck, createRedisRateLimiter, isRedisUnavailableError } from '../src/index.js';

/** A port nothing listens on: bound, then released. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `redis://127.0.0.1:${port}`;
}

async function timed<T>(work: Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const started = performance.now();
  const [result] = await Promise.allSettled([work]);
  return { ms: performance.now() - started, result: result! };
}

describe('with Redis unreachable', () => {
  it('rejects enqueue and isHeld with RedisUnavailableError within the deadline, and closes at once', async () => {
    const errors: Error[] = [];
    const queue = createBullmqJobQueue({
      redisUrl: await closedPortUrl(),
      name: 'unreachable',
      deadlineMs: 300,
      closeTimeoutMs: 300,
      onInfrastructureError: (error) => errors.push(error),
    });
    for (let i = 0; i < 3; i++) {
      const enqueued = await timed(queue.enqueue([{ id: `job-${i}` }]));
      expect(enqueued.result.status).toBe('rejected');
      expect(isRedisUnavailableError((enqueued.result as PromiseRejectedResult).reason)).toBe(true);
      expect(enqueued.ms).toBeLessThan(1_000);
    }
    const held = await timed(queue.isHeld('job-0'));
    expect(held.result.status).toBe('rejected');
    expect(held.ms).toBeLessThan(1_000);
    queue.startWorker(async () => undefined, { concurrency: 1 });
    const closed = await timed(queue.close());
    expect(closed.result.status).toBe('fulfilled');
    expect(closed.ms).toBeLessThan(2_000);
    // Reported once per connection and outage, not once per reconnect attempt or call.
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(2);
  });

  it('reports Redis down from the health check, and the rate limiter rejects in bounded time', async () => {
    const url = await closedPortUrl();
    const health = createRedisHealthCheck({ redisUrl: url, timeoutMs: 300 });
    const checked = await timed(health.check());
    expect(checked.result).toEqual({ status: 'fulfilled', value: false });
    expect(checked.ms).toBeLessThan(1_000);
    const limiter = createRedisRateLimiter({ redisUrl: url, capacity: 10, refillPerSecond: 1, commandTimeoutMs: 300 });
    const taken = await timed(limiter.take('k'));
    expect(taken.result.status).toBe('rejected');
    expect(isRedisUnavailableError((taken.result as PromiseRejectedResult).reason)).toBe(true);
    expect(taken.ms).toBeLessThan(1_000);
    await Promise.all([health.close(), limiter.close()]);
  });
});
