/*
 * While Redis is down, ioredis emits an error on every reconnect attempt of every connection. Logging each
 * one floods the log during an outage; what an operator needs is one line when it starts and one when it
 * ends. This reporter forwards the first connection failure of an outage and swallows the rest until the
 * connection is ready again. Errors that are not connection failures are always forwarded.
 */
import type { Redis } from 'ioredis';
import { isConnectionFailure } from './with-deadline.js';

export interface RedisOutageHooks {
  /** The first connection failure of an outage, and every other kind of error. */
  readonly onError: (error: Error) => void;
  /** The connection is ready again after an outage was reported. */
  readonly onRecovered?: () => void;
}

export interface RedisOutageReporter {
  /** Feed every error of the connection (and of the BullMQ object on it) here. */
  error(error: Error): void;
  /** Whether an outage was reported and the connection has not been ready since. */
  readonly down: boolean;
}

export function watchRedisOutages(connection: Redis, hooks: RedisOutageHooks): RedisOutageReporter {
  let down = false;
  connection.on('ready', () => {
    if (!down) return;
    down = false;
    hooks.onRecovered?.();
  });
  return {
    error(error) {
      if (!isConnectionFailure(error)) {
        hooks.onError(error);
        return;
      }
      if (down) return;
      down = true;
      hooks.onError(error);
    },
    get down() {
      return down;
    },
  };
}
