/*
 * Readiness of Redis for `/readyz`: a PING on a connection of its own that never queues a command for a
 * reconnect, so a probe during an outage answers "down" within `timeoutMs` instead of hanging with the
 * connection. A connection still on its way up (the first probes after a start, or Redis just back) is given
 * the same deadline to come up before the PING: without it a process asked for readiness right after it
 * started said "Redis down" while its connection was still handshaking.
 */
import type { Redis } from 'ioredis';
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
    async check() {
      const deadline = Date.now() + timeoutMs;
      if (!(await comesUp(connection, timeoutMs))) return false;
      return withDeadline(connection.ping(), Math.max(1, deadline - Date.now()), 'PING').then((reply) => reply === 'PONG', () => false);
    },
    close: () => closeRedisConnection(connection),
  };
}

/** Whether the connection is ready, or becomes ready within `ms`; false at once once it has ended for good. */
function comesUp(connection: Redis, ms: number): Promise<boolean> {
  if (connection.status === 'ready') return Promise.resolve(true);
  if (connection.status === 'end') return Promise.resolve(false);
  return new Promise((resolve) => {
    const settle = (up: boolean) => {
      clearTimeout(timer);
      connection.off('ready', onReady);
      connection.off('end', onEnd);
      resolve(up);
    };
    const onReady = () => settle(true);
    const onEnd = () => settle(false);
    const timer = setTimeout(() => settle(false), ms);
    connection.once('ready', onReady);
    connection.once('end', onEnd);
  });
}
