/*
 * The rate-limiter port in one process: the same token bucket as the Redis limiter, with time read from
 * the injected clock so tests can move it instead of sleeping. Buckets back at capacity are forgotten, as
 * the Redis keys expire. Same contract as the Redis limiter.
 */
import {
  systemClock,
  assertRateLimitPolicy,
  checkedCost,
  type Clock,
  type RateLimitPolicy,
  type RateLimitState,
  type RateLimiter,
} from '../shared/index.js';

export interface InMemoryRateLimiterOptions extends RateLimitPolicy {
  readonly clock?: Clock;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was computed (epoch ms). */
  at: number;
}

// Float refills can land a hair under a whole token (2.9999999); count that as whole.
const EPSILON = 1e-9;

export function createInMemoryRateLimiter(options: InMemoryRateLimiterOptions): RateLimiter {
  const policy: RateLimitPolicy = { capacity: options.capacity, refillPerSecond: options.refillPerSecond };
  assertRateLimitPolicy(policy);
  const clock = options.clock ?? systemClock;
  const buckets = new Map<string, Bucket>();
  const msPerToken = 1000 / policy.refillPerSecond;

  const current = (key: string, now: number): Bucket => {
    const bucket = buckets.get(key);
    if (bucket === undefined) return { tokens: policy.capacity, at: now };
    const elapsed = Math.max(0, now - bucket.at);
    return { tokens: Math.min(policy.capacity, bucket.tokens + elapsed / msPerToken), at: now };
  };

  const state = (bucket: Bucket, allowed: boolean, wanted: number): RateLimitState => ({
    allowed,
    limit: policy.capacity,
    remaining: Math.floor(bucket.tokens + EPSILON),
    resetAt: new Date(bucket.at + Math.ceil((policy.capacity - bucket.tokens) * msPerToken - EPSILON)),
    retryAfterMs: allowed ? 0 : Math.ceil((wanted - bucket.tokens) * msPerToken - EPSILON),
  });

  return {
    policy,
    async take(key, cost) {
      const wanted = checkedCost(policy, cost);
      const bucket = current(key, clock.now().getTime());
      const allowed = bucket.tokens + EPSILON >= wanted;
      if (allowed) bucket.tokens = Math.max(0, bucket.tokens - wanted);
      if (bucket.tokens >= policy.capacity) buckets.delete(key);
      else buckets.set(key, bucket);
      return state(bucket, allowed, wanted);
    },
    async peek(key) {
      const bucket = current(key, clock.now().getTime());
      return state(bucket, bucket.tokens + EPSILON >= 1, 1);
    },
  };
}
