import { describe, expect, it } from 'vitest';
import { describeRateLimiterContract } from './contracts/rate-limiter.contract.js';
import { createFakeClock } from './fake-clock.js';
import { createInMemoryRateLimiter } from './in-memory-rate-limiter.js';

describeRateLimiterContract('in-memory', async (policy) => createInMemoryRateLimiter(policy));

describe('in-memory rate limiter with a fake clock', () => {
  it('gives a token back exactly every 1 ÷ refill seconds', async () => {
    const clock = createFakeClock();
    const limiter = createInMemoryRateLimiter({ capacity: 2, refillPerSecond: 4, clock });
    await limiter.take('k');
    await limiter.take('k');
    expect(await limiter.take('k')).toMatchObject({ allowed: false, retryAfterMs: 250 });
    clock.advance(249);
    expect((await limiter.take('k')).allowed).toBe(false);
    clock.advance(1);
    expect(await limiter.take('k')).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('refuses a policy without capacity or refill', () => {
    expect(() => createInMemoryRateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => createInMemoryRateLimiter({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });
});
