/*
 * A token bucket per key (the HTTP edge uses one per customer). A bucket holds at most `capacity` tokens
 * and gains `refillPerSecond` tokens per second, continuously; a request spends one (or `cost`). A key
 * never seen, or left alone long enough, is a full bucket, so an adapter may forget full buckets (e.g.
 * by letting their keys expire). Bursts up to `capacity` pass at once; the sustained rate is the refill.
 *
 * Taking is atomic across every process sharing the store: N concurrent takes on a bucket holding k tokens
 * allow exactly min(N, k). The store's clock decides refills, not the caller's, so processes with
 * skewed clocks agree.
 *
 * An unreachable store makes `take` and `peek` reject. What to do then is the caller's policy, not the
 * limiter's: the HTTP edge fails OPEN.
 */

/** A bucket's shape: the same for every key of one limiter. */
export interface RateLimitPolicy {
  /** Most tokens a bucket holds: the largest burst (RATE_LIMIT_CAPACITY, default 120). */
  readonly capacity: number;
  /** Tokens added per second, fractions allowed: the sustained rate (RATE_LIMIT_REFILL_PER_SECOND, default 20). */
  readonly refillPerSecond: number;
}

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = { capacity: 120, refillPerSecond: 20 };

/** A bucket after a take (or as a peek sees it). */
export interface RateLimitState {
  /** Whether the take was granted (for a peek: whether one token is available now). */
  readonly allowed: boolean;
  /** The bucket's capacity. */
  readonly limit: number;
  /** Whole tokens left after this take (a refused take spends nothing). */
  readonly remaining: number;
  /** When the bucket is full again if nothing more is taken. */
  readonly resetAt: Date;
  /** 0 when allowed; else how long until the requested tokens are available. */
  readonly retryAfterMs: number;
}

export interface RateLimiter {
  readonly policy: RateLimitPolicy;
  /**
   * Spends `cost` tokens (default 1) from `key`'s bucket if it holds that many, else spends nothing and
   * says when to retry. An unknown key is a full bucket. Throws RangeError when `cost` is not an integer
   * in 1..capacity (such a request could never pass); rejects when the store is unreachable.
   */
  take(key: string, cost?: number): Promise<RateLimitState>;
  /** The bucket of `key` as `take` would see it, spending nothing (for `GET /v1/limits`). */
  peek(key: string): Promise<RateLimitState>;
}

/** Checks a policy once, where a limiter is built; throws RangeError naming the bad value. */
export function assertRateLimitPolicy(policy: RateLimitPolicy): void {
  if (!Number.isInteger(policy.capacity) || policy.capacity < 1) {
    throw new RangeError(`Rate limit capacity must be a positive integer, got ${policy.capacity}.`);
  }
  if (!Number.isFinite(policy.refillPerSecond) || policy.refillPerSecond <= 0) {
    throw new RangeError(`Rate limit refill per second must be a positive number, got ${policy.refillPerSecond}.`);
  }
}

/** Checks a take's cost against the policy; returns it with the default applied. */
export function checkedCost(policy: RateLimitPolicy, cost = 1): number {
  if (!Number.isInteger(cost) || cost < 1 || cost > policy.capacity) {
    throw new RangeError(`A take costs an integer number of tokens in 1..${policy.capacity}, got ${cost}.`);
  }
  return cost;
}
