/*
 * Failed authentications per client address, as a token bucket in process memory: each failure takes a
 * token, and an address with an empty bucket is refused before its key is even looked up. A flood of
 * random well-formed keys thus costs a handful of database lookups per address instead of one per request.
 * The table is bounded: past `maxAddresses` the least recently failing address is forgotten (an attacker
 * rotating addresses gets fresh buckets, but then each address still pays for its own failures). Per
 * process: with several API processes an address gets one bucket in each, which is fine for a brake.
 */
export interface AuthFailureLimit {
  /** Failures an address may have in a burst. */
  readonly capacity: number;
  /** Failures forgiven per second. */
  readonly refillPerSecond: number;
  /** Addresses tracked at most. Default 100 000. */
  readonly maxAddresses?: number;
}

export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimit = { capacity: 30, refillPerSecond: 0.5 };

export interface AuthFailureThrottle {
  /** Seconds `address` must wait before authenticating again, or 0 when it may try now. */
  retryAfterSeconds(address: string): number;
  /** Counts a failed authentication from `address`. */
  recordFailure(address: string): void;
  readonly limit: AuthFailureLimit;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createAuthFailureThrottle(limit: AuthFailureLimit = DEFAULT_AUTH_FAILURE_LIMIT, now: () => number = Date.now): AuthFailureThrottle {
  const maxAddresses = limit.maxAddresses ?? 100_000;
  const buckets = new Map<string, Bucket>();

  function current(address: string): Bucket | undefined {
    const bucket = buckets.get(address);
    if (bucket === undefined) return undefined;
    const t = now();
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + ((t - bucket.at) / 1000) * limit.refillPerSecond);
    bucket.at = t;
    if (bucket.tokens >= limit.capacity) {
      buckets.delete(address); // full again: nothing worth remembering
      return undefined;
    }
    return bucket;
  }

  return {
    limit,
    retryAfterSeconds(address) {
      const bucket = current(address);
      if (bucket === undefined || bucket.tokens >= 1) return 0;
      return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.refillPerSecond));
    },
    recordFailure(address) {
      const bucket = current(address) ?? { tokens: limit.capacity, at: now() };
      bucket.tokens = Math.max(0, bucket.tokens - 1);
      buckets.delete(address); // re-insert: Map order is then least recently failing first
      if (buckets.size >= maxAddresses) buckets.delete(buckets.keys().next().value!);
      buckets.set(address, bucket);
    },
  };
}
