/*
 * The rate limiter in Redis: one hash per bucket (`<prefix>:rate-limit:<key>`, fields `tokens` and `at`).
 * Refill and take are one Lua script, so N concurrent takes across every process allow exactly what the
 * bucket holds; the time is Redis's own (TIME), so processes with skewed clocks agree. A bucket's key
 * expires when the bucket would be full again: a missing key IS a full bucket, so idle customers leave
 * nothing behind and losing Redis's data only hands everyone a full bucket.
 *
 * Failure is fast and bounded, because the caller fails open (the HTTP edge lets requests through when the
 * limiter is down): while the connection is known to be down a call rejects at once; otherwise it waits at
 * most `commandTimeoutMs`, so an outage adds little latency to API calls. Either way the call rejects with
 * RedisUnavailableError. Connection errors are reported once per outage, not per reconnect attempt.
 */
import {
  assertRateLimitPolicy,
  checkedCost,
  type RateLimitPolicy,
  type RateLimitState,
  type RateLimiter,
} from '@whatisup/core';
import { Redis } from 'ioredis';
import { closeRedisConnection } from './redis-connection.js';
import { watchRedisOutages } from './redis-outage-reporter.js';
import { RedisUnavailableError } from './redis-unavailable-error.js';
import { withDeadline } from './with-deadline.js';

export interface RedisRateLimiterOptions extends RateLimitPolicy {
  readonly redisUrl: string;
  /** Key prefix in Redis; default `whatisup`. */
  readonly prefix?: string;
  /** Longest wait for Redis per call before it rejects. Default 500 ms. */
  readonly commandTimeoutMs?: number;
  /**
   * The first connection failure of an outage and any other error (they also surface as rejected calls).
   * Default: ignored.
   */
  readonly onConnectionError?: (error: Error) => void;
  /** The connection is ready again after a reported outage. Default: ignored. */
  readonly onRecovered?: () => void;
}

export interface RedisRateLimiter extends RateLimiter {
  /** Quits the limiter's Redis connection. */
  close(): Promise<void>;
}

// KEYS[1] bucket; ARGV: capacity, refill per second, cost (0 = peek: read only, asks for one token).
// Returns { allowed 0/1, whole tokens left, now ms, ms until full, ms until the asked tokens are there }.
const TAKE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local capacity = tonumber(ARGV[1])
local msPerToken = 1000 / tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local eps = 1e-9
local tokens = capacity
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
if saved[1] and saved[2] then
  local elapsed = math.max(0, now - tonumber(saved[2]))
  tokens = math.min(capacity, tonumber(saved[1]) + elapsed / msPerToken)
end
local wanted = math.max(cost, 1)
local allowed = tokens + eps >= wanted
if cost > 0 and allowed then
  tokens = math.max(0, tokens - cost)
  local untilFull = math.ceil((capacity - tokens) * msPerToken - eps)
  if untilFull > 0 then
    redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
    redis.call('PEXPIRE', KEYS[1], untilFull)
  else
    redis.call('DEL', KEYS[1])
  end
end
local retryAfter = 0
if not allowed then retryAfter = math.ceil((wanted - tokens) * msPerToken - eps) end
return { allowed and 1 or 0, math.floor(tokens + eps), math.floor(now),
  math.max(0, math.ceil((capacity - tokens) * msPerToken - eps)), retryAfter }
`;

type Reply = [number, number, number, number, number];
type LimiterConnection = Redis & {
  wiuTakeTokens(key: string, capacity: number, refillPerSecond: number, cost: number): Promise<Reply>;
};

const DOWN = new Set(['reconnecting', 'close', 'end']);

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  const policy: RateLimitPolicy = { capacity: options.capacity, refillPerSecond: options.refillPerSecond };
  assertRateLimitPolicy(policy);
  const prefix = options.prefix ?? 'whatisup';
  const connection = new Redis(options.redisUrl, {
    connectionName: `wiu-rate-limiter:${prefix}`,
    maxRetriesPerRequest: 1,
    // Requests finishing in one turn take their tokens in one write (see redis-connection.ts).
    enableAutoPipelining: true,
    commandTimeout: options.commandTimeoutMs ?? 500,
  }) as LimiterConnection;
  const outages = watchRedisOutages(connection, {
    onError: (error) => options.onConnectionError?.(error),
    onRecovered: options.onRecovered,
  });
  connection.on('error', (error: Error) => outages.error(error));
  const commandTimeoutMs = options.commandTimeoutMs ?? 500;
  connection.defineCommand('wiuTakeTokens', { numberOfKeys: 1, lua: TAKE_SCRIPT });

  async function run(key: string, cost: number): Promise<RateLimitState> {
    if (DOWN.has(connection.status)) throw new RedisUnavailableError(`The rate limiter's Redis is unreachable (${connection.status}).`);
    const [allowed, remaining, now, untilFullMs, retryAfterMs] = await withDeadline(
      connection.wiuTakeTokens(`${prefix}:rate-limit:${key}`, policy.capacity, policy.refillPerSecond, cost),
      commandTimeoutMs,
      'a rate-limit check',
    );
    return {
      allowed: allowed === 1,
      limit: policy.capacity,
      remaining,
      resetAt: new Date(now + untilFullMs),
      retryAfterMs,
    };
  }

  return {
    policy,
    take: async (key, cost) => run(key, checkedCost(policy, cost)),
    peek: (key) => run(key, 0),
    close: () => closeRedisConnection(connection),
  };
}
