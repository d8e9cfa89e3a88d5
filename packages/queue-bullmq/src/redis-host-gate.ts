/*
 * The per-host gate in Redis: one sorted set per host, member = lease token, score = expiry (ms).
 * Acquiring is one Lua script, so "purge expired, count, add if below the limit" is atomic across every
 * worker process. Expiry is computed from Redis's own clock (TIME), so workers with skewed clocks agree.
 * A crashed worker's leases stop counting at their expiry (self-healing), and the key itself expires
 * with its newest lease, so idle hosts leave nothing behind.
 *
 * Waiters: a second sorted set per host (`…:waiting`, member = waiter, score = its place in arrival order, which is when it first waited unless several came in one millisecond). The
 * acquire script adds the waiter when it refuses and removes it when it grants; the release script frees
 * the lease and pops as many waiters as there are free slots, oldest first, all in one step, so a waiter
 * recorded while the host was full is seen by the release that frees a slot. The wait list expires a
 * lease-length after its last addition.
 *
 * A popped waiter's place is kept in a third sorted set (`…:handed`) for a lease-length: a job that never
 * waited may take the freed slot before the woken one comes for it, and the woken one, refused again, goes
 * back to its own place instead of the end of the list (else, on a busy host, one delivery can lose that race
 * again and again while later arrivals go ahead of it). A grant forgets the kept place.
 */
import { randomUUID } from 'node:crypto';
import type { HostGate, HostLease } from '@whatisup/core';
import type { Redis } from 'ioredis';
import { closeRedisConnection, createRedisConnection } from './redis-connection.js';
import { watchRedisOutages } from './redis-outage-reporter.js';

export interface RedisHostGateOptions {
  readonly redisUrl: string;
  /** Most requests in flight per host (WEBHOOK_MAX_PER_HOST, default 4). */
  readonly limit: number;
  /** How long a slot counts without a release; keep it above the longest request (e.g. 2 × timeout). */
  readonly leaseMs: number;
  /** Key prefix in Redis; default `whatisup`. */
  readonly prefix?: string;
  /** The first connection failure of an outage and any other error. Default: ignored. */
  readonly onConnectionError?: (error: Error) => void;
}

export interface RedisHostGate extends HostGate {
  /** Quits the gate's Redis connection. */
  close(): Promise<void>;
}

// KEYS[1] host set, KEYS[2] its wait list, KEYS[3] the kept places of waiters handed out;
// ARGV: limit, lease ms, token, waiter ('' for none). Returns the lease's expiry (ms), or 0 when full.
const ACQUIRE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  if ARGV[4] ~= '' then
    if not redis.call('ZSCORE', KEYS[2], ARGV[4]) then
      local place = redis.call('ZSCORE', KEYS[3], ARGV[4])
      if place then
        redis.call('ZREM', KEYS[3], ARGV[4])
      else
        -- The score only orders the list: a newcomer in the same millisecond as the last goes after it, not by name.
        local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
        place = now
        if last[2] and tonumber(last[2]) >= now then place = tonumber(last[2]) + 1 end
      end
      redis.call('ZADD', KEYS[2], place, ARGV[4])
    end
    redis.call('PEXPIRE', KEYS[2], ARGV[2])
  end
  return 0
end
local expiresAt = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], expiresAt, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if ARGV[4] ~= '' then
  redis.call('ZREM', KEYS[2], ARGV[4])
  redis.call('ZREM', KEYS[3], ARGV[4])
end
return expiresAt
`;

// KEYS[1] host set, KEYS[2] its wait list, KEYS[3] the kept places of waiters handed out;
// ARGV: token, limit, lease ms. Returns the waiters to wake, oldest first.
const RELEASE_SCRIPT = `
redis.call('ZREM', KEYS[1], ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
if free <= 0 then
  return {}
end
local popped = redis.call('ZPOPMIN', KEYS[2], free)
local waiters = {}
for i = 1, #popped, 2 do
  waiters[#waiters + 1] = popped[i]
  redis.call('ZADD', KEYS[3], popped[i + 1], popped[i])
end
if #popped > 0 then
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
return waiters
`;

type GateConnection = Redis & {
  wiuAcquireHostSlot(key: string, waitKey: string, handedKey: string, limit: number, leaseMs: number, token: string, waiter: string): Promise<number>;
  wiuReleaseHostSlot(key: string, waitKey: string, handedKey: string, token: string, limit: number, leaseMs: number): Promise<string[]>;
};

export function createRedisHostGate(options: RedisHostGateOptions): RedisHostGate {
  if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('limit must be a positive integer');
  if (!Number.isInteger(options.leaseMs) || options.leaseMs < 1) throw new RangeError('leaseMs must be a positive integer');
  const prefix = options.prefix ?? 'whatisup';
  const connection = createRedisConnection(options.redisUrl, `wiu-host-gate:${prefix}`, 'fail-fast') as GateConnection;
  const outages = watchRedisOutages(connection, { onError: (error) => options.onConnectionError?.(error) });
  connection.on('error', (error: Error) => outages.error(error));
  connection.defineCommand('wiuAcquireHostSlot', { numberOfKeys: 3, lua: ACQUIRE_SCRIPT });
  connection.defineCommand('wiuReleaseHostSlot', { numberOfKeys: 3, lua: RELEASE_SCRIPT });
  const keyOf = (host: string) => `${prefix}:host-gate:${host}`;
  const waitKeyOf = (host: string) => `${prefix}:host-gate:${host}:waiting`;
  const handedKeyOf = (host: string) => `${prefix}:host-gate:${host}:handed`;

  return {
    async tryAcquire(host, waiter) {
      const token = randomUUID();
      const expiresAt = await connection.wiuAcquireHostSlot(keyOf(host), waitKeyOf(host), handedKeyOf(host), options.limit, options.leaseMs, token, waiter ?? '');
      if (!expiresAt) return null;
      const lease: HostLease = { host, token, expiresAt: new Date(Number(expiresAt)) };
      return lease;
    },
    async release(lease) {
      return connection.wiuReleaseHostSlot(keyOf(lease.host), waitKeyOf(lease.host), handedKeyOf(lease.host), lease.token, options.limit, options.leaseMs);
    },
    close: () => closeRedisConnection(connection),
  };
}
