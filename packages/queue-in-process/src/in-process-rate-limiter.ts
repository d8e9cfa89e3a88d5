/*
 * Token buckets inside one process, with the Redis limiter's arithmetic: a bucket refills continuously, a
 * take spends `cost` tokens or nothing, and a bucket that would be full again is forgotten (a missing bucket
 * IS a full one). Each take runs synchronously, so N concurrent takes on k tokens allow exactly min(N, k).
 * Memory stays bounded by the keys active within one refill period: every `SWEEP_EVERY` calls, buckets that
 * have refilled to capacity are dropped. It never rejects: there is no store to lose.
 */
import {
  assertRateLimitPolicy,
  checkedCost,
  type RateLimitPolicy,
  type RateLimitState,
  type RateLimiter,
} from '@whatisup/core';

export type InProcessRateLimiterOptions = RateLimitPolicy;

interface Bucket {
  tokens: number;
  at: number;
}

const EPSILON = 1e-9;
const SWEEP_EVERY = 1_000;

export function createInProcessRateLimiter(options: InProcessRateLimiterOptions): RateLimiter {
  const policy: RateLimitPolicy = { capacity: options.capacity, refillPerSecond: options.refillPerSecond };
  assertRateLimitPolicy(policy);
  const msPerToken = 1_000 / policy.refillPerSecond;
  const buckets = new Map<string, Bucket>();
  let calls = 0;

  const tokensAt = (bucket: Bucket | undefined, now: number) =>
    bucket ? Math.min(policy.capacity, bucket.tokens + Math.max(0, now - bucket.at) / msPerToken) : policy.capacity;

  function sweep(now: number): void {
    for (const [key, bucket] of buckets) if (tokensAt(bucket, now) + EPSILON >= policy.capacity) buckets.delete(key);
  }

  /** `cost` 0 is a peek: it reads the bucket as a take of one token would, and changes nothing. */
  function run(key: string, cost: number): RateLimitState {
    const now = Date.now();
    if (++calls % SWEEP_EVERY === 0) sweep(now);
    let tokens = tokensAt(buckets.get(key), now);
    const wanted = Math.max(cost, 1);
    const allowed = tokens + EPSILON >= wanted;
    if (cost > 0 && allowed) {
      tokens = Math.max(0, tokens - cost);
      if (Math.ceil((policy.capacity - tokens) * msPerToken - EPSILON) > 0) buckets.set(key, { tokens, at: now });
      else buckets.delete(key);
    }
    const untilFullMs = Math.max(0, Math.ceil((policy.capacity - tokens) * msPerToken - EPSILON));
    return {
      allowed,
      limit: policy.capacity,
      remaining: Math.floor(tokens + EPSILON),
      resetAt: new Date(now + untilFullMs),
      retryAfterMs: allowed ? 0 : Math.ceil((wanted - tokens) * msPerToken - EPSILON),
    };
  }

  return {
    policy,
    take: async (key, cost) => run(key, checkedCost(policy, cost)),
    peek: async (key) => run(key, 0),
  };
}
