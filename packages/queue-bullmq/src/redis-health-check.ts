/*
 * Readiness of Redis for `/readyz`: a PING on a connection of its own that never waits for a reconnect, so a
 * probe during an outage answers "down" within `timeoutMs` instead of hanging with the connection.
 */
import { closeRedisConnection, createRedisConnection } from './redis-connection.js';
import { withDeadline } from './with-deadline.js';

export interface RedisHealthCheckOptions {
  readonly redisUrl: string;
  /** Key prefix, only to name the connection in CLIENT LIST; default `whatisup`. */
  readonly prefix?: string;
  /** Longest wait for the PONG (ms); default 1,000. */
  readonly timeoutMs?: number;
}

export interface RedisHealthCheck {
  /** True when Redis answered PING in time; never throws. */
  check(): Promise<boolean>;
  /** Quits the connection. */
  close(): Promise<void>;
}

export function createRedisHealthCheck(options: RedisHealthCheckOptions): RedisHealthCheck {
  const connection = createRedisConnection(options.redisUrl, `wiu-health:${options.prefix ?? 'whatisup'}`, 'producer');
  // Errors surface as failed checks; without a listener ioredis would print each reconnect attempt.
  connection.on('error', () => undefined);
  const timeoutMs = options.timeoutMs ?? 1_000;
  return {
    check: () => withDeadline(connection.ping(), timeoutMs, 'PING').then((reply) => reply === 'PONG', () => false),
    close: () => closeRedisConnection(connection),
  };
}
