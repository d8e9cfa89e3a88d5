import { Redis } from 'ioredis';

/**
 * How a connection behaves while Redis is unreachable:
 *  - `blocking` (BullMQ workers): commands wait for the reconnect; a worker has nobody waiting on it;
 *  - `producer` (enqueue, isHeld, health checks): commands fail at once instead of queueing offline, so a
 *    caller (an API request) never waits for Redis to come back;
 *  - `fail-fast` (the host gate): a few retries, then the command fails.
 * BullMQ needs `maxRetriesPerRequest: null` on connections it uses; with the offline queue off, a producer's
 * command still fails at once while the connection is down.
 */
export type RedisConnectionMode = 'blocking' | 'producer' | 'fail-fast';

/**
 * A Redis connection this package owns (and therefore quits). The name shows up in CLIENT LIST, which is how
 * the tests prove that closing leaves nothing open.
 *
 * `autoPipelining` sends the commands issued in one turn of the event loop as one write: on a busy node
 * many requests append an event or take a token in the same turn, and each socket write costs far more
 * CPU (a system call that wakes Redis) than the command itself. Only for connections that never block.
 */
export function createRedisConnection(
  redisUrl: string,
  connectionName: string,
  mode: RedisConnectionMode = 'blocking',
  { autoPipelining = false }: { readonly autoPipelining?: boolean } = {},
): Redis {
  const pipelining = { enableAutoPipelining: autoPipelining && mode !== 'blocking' };
  switch (mode) {
    case 'blocking':
      return new Redis(redisUrl, { maxRetriesPerRequest: null, connectionName });
    case 'producer':
      return new Redis(redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: false, connectionName, ...pipelining });
    case 'fail-fast':
      return new Redis(redisUrl, { maxRetriesPerRequest: 2, connectionName, ...pipelining });
  }
}

/** Quits politely, or drops the socket when Redis is gone (quit would wait for a reconnect). */
export async function closeRedisConnection(connection: Redis, timeoutMs = 2_000): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([connection.quit().then(() => undefined, () => undefined), expired]);
  clearTimeout(timer);
  if ((connection.status as string) !== 'end') connection.disconnect();
}
