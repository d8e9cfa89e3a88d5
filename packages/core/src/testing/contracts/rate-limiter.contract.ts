import { describe, expect, it } from 'vitest';
import type { RateLimitPolicy, RateLimitState, RateLimiter } from '../../shared/index.js';
import { sleep } from '../wait.js';

/** A fresh limiter for one test (its own key space); the factory's owner closes and cleans it up. */
export type RateLimiterFactory = (policy: RateLimitPolicy) => Promise<RateLimiter>;

// Refill so slow that no token comes back while a test runs.
const FROZEN = 0.001;

async function drain(limiter: RateLimiter, key: string, times: number): Promise<RateLimitState[]> {
  const states: RateLimitState[] = [];
  for (let i = 0; i < times; i++) states.push(await limiter.take(key));
  return states;
}

/** The behaviour every `RateLimiter` must have. Uses real time (short sleeps), as the Redis clock cannot be faked. */
export function describeRateLimiterContract(name: string, factory: RateLimiterFactory): void {
  describe(`RateLimiter contract: ${name}`, () => {
    it('starts a key it has never seen with a full bucket', async () => {
      const limiter = await factory({ capacity: 5, refillPerSecond: 1 });
      const before = Date.now();
      const state = await limiter.peek('fresh');
      expect(state).toMatchObject({ allowed: true, limit: 5, remaining: 5, retryAfterMs: 0 });
      expect(Math.abs(state.resetAt.getTime() - before)).toBeLessThan(1_000);
      expect(limiter.policy).toEqual({ capacity: 5, refillPerSecond: 1 });
    });

    it('spends one token per take and counts down the remaining ones', async () => {
      const limiter = await factory({ capacity: 3, refillPerSecond: FROZEN });
      const states = await drain(limiter, 'k', 3);
      expect(states.map((s) => [s.allowed, s.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
      ]);
      expect(states.every((s) => s.limit === 3 && s.retryAfterMs === 0)).toBe(true);
    });

    it('refuses an empty bucket, spends nothing, and says when one token will be back', async () => {
      const limiter = await factory({ capacity: 2, refillPerSecond: 1 });
      await drain(limiter, 'k', 2);
      const refused = await limiter.take('k');
      expect(refused.allowed).toBe(false);
      expect(refused.remaining).toBe(0);
      expect(refused.retryAfterMs).toBeGreaterThan(800);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(1_000);
    });

    it('says the bucket is full again after capacity ÷ refill seconds', async () => {
      const limiter = await factory({ capacity: 4, refillPerSecond: 2 });
      const before = Date.now();
      await drain(limiter, 'k', 4);
      const { resetAt } = await limiter.peek('k');
      expect(resetAt.getTime()).toBeGreaterThan(before + 1_500);
      expect(resetAt.getTime()).toBeLessThan(Date.now() + 2_000 + 500);
    });

    it('peeks without spending a token', async () => {
      const limiter = await factory({ capacity: 3, refillPerSecond: FROZEN });
      await limiter.take('k');
      for (let i = 0; i < 5; i++) expect((await limiter.peek('k')).remaining).toBe(2);
      expect((await limiter.take('k')).remaining).toBe(1);
    });

    it('peeks at an empty bucket as not allowed, with the wait for one token', async () => {
      const limiter = await factory({ capacity: 1, refillPerSecond: 2 });
      await limiter.take('k');
      const state = await limiter.peek('k');
      expect(state).toMatchObject({ allowed: false, remaining: 0 });
      expect(state.retryAfterMs).toBeGreaterThan(300);
      expect(state.retryAfterMs).toBeLessThanOrEqual(500);
    });

    it('keeps every key in its own bucket', async () => {
      const limiter = await factory({ capacity: 2, refillPerSecond: FROZEN });
      await drain(limiter, 'cust_a', 2);
      expect((await limiter.take('cust_a')).allowed).toBe(false);
      expect(await limiter.take('cust_b')).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('allows exactly the capacity to 50 concurrent takes', async () => {
      const limiter = await factory({ capacity: 10, refillPerSecond: FROZEN });
      const states = await Promise.all(Array.from({ length: 50 }, () => limiter.take('busy')));
      expect(states.filter((s) => s.allowed)).toHaveLength(10);
      expect((await limiter.peek('busy')).remaining).toBe(0);
    });

    it('refills over time, but never past the capacity', async () => {
      // A token every 250 ms: a loaded machine's pause between two calls must not refill one early (at 50 ms a
      // token, one scheduler hiccup between the drain and the refused take made this fail now and then).
      const limiter = await factory({ capacity: 2, refillPerSecond: 4 });
      await drain(limiter, 'k', 2);
      expect((await limiter.take('k')).allowed).toBe(false);
      await sleep(300);
      expect((await limiter.take('k')).allowed).toBe(true);
      await sleep(1_000); // four tokens' worth of refill: only two fit
      expect(await limiter.peek('k')).toMatchObject({ allowed: true, remaining: 2 });
    });

    it('spends a cost of several tokens at once, or none of them', async () => {
      const limiter = await factory({ capacity: 5, refillPerSecond: FROZEN });
      expect(await limiter.take('k', 3)).toMatchObject({ allowed: true, remaining: 2 });
      expect(await limiter.take('k', 3)).toMatchObject({ allowed: false, remaining: 2 });
      expect(await limiter.take('k', 2)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('rejects a cost that could never pass', async () => {
      const limiter = await factory({ capacity: 5, refillPerSecond: 1 });
      await expect(limiter.take('k', 6)).rejects.toThrow(RangeError);
      await expect(limiter.take('k', 0)).rejects.toThrow(RangeError);
      await expect(limiter.take('k', 1.5)).rejects.toThrow(RangeError);
    });
  });
}
