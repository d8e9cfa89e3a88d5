/*
 * The per-host gate in Redis: one sorted set per host, member = lease token, score = expiry (ms).
 * Acquiring is one Lua script, so "purge expired, count, add if below the limit" is atomic across every
 * worker process. Expiry is computed from Redis's own clock (TIME), so workers with skewed clocks agree.
 * A crashed worker's leases stop counting at their expiry (self-healing), and the key itself expires
 * with its newest lease, so idle hosts leave nothing behind.
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

// KEYS[1] host set; ARGV: limit, lease ms, token. Returns the lease's expiry (ms), or 0 when full.
const ACQUIRE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
local expiresAt = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], expiresAt, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return expiresAt
`;

type GateConnection = Redis & {
  wiuAcquireHostSlot(key: string, limit: number, leaseMs: number, token: string): Promise<number>;
};

export function createRedisHostGate(options: RedisHostGateOptions): RedisHostGate {
  if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('limit must be a positive integer');
  if (!Number.isInteger(options.leaseMs) || options.leaseMs < 1) throw new RangeError('leaseMs must be a positive integer');
  const prefix = options.prefix ?? 'whatisup';
  const connection = createRedisConnection(options.redisUrl, `wiu-host-gate:${prefix}`, 'fail-fast') as GateConnection;
  const outages = watchRedisOutages(connection, { onError: (error) => options.onConnectionError?.(error) });
  connection.on('error', (error: Error) => outages.error(error));
  connection.defineCommand('wiuAcquireHostSlot', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
  const keyOf = (host: string) => `${prefix}:host-gate:${host}`;

  return {
    async tryAcquire(host) {
      const token = randomUUID();
      const expiresAt = await connection.wiuAcquireHostSlot(keyOf(host), options.limit, options.leaseMs, token);
      if (!expiresAt) return null;
      const lease: HostLease = { host, token, expiresAt: new Date(Number(expiresAt)) };
      return lease;
    },
    async release(lease) {
      await connection.zrem(keyOf(lease.host), lease.token);
    },
    close: () => closeRedisConnection(connection),
  };
}
