import { Redis } from 'ioredis';

/**
 * A Redis connection this package owns (and therefore quits). BullMQ needs `maxRetriesPerRequest: null`
 * so its blocking commands survive reconnects; the name shows up in CLIENT LIST, which is how the tests
 * prove that closing leaves nothing open.
 */
export function createRedisConnection(redisUrl: string, connectionName: string, failFast = false): Redis {
  // A fail-fast connection (the host gate) errors after a few retries instead of waiting out an outage.
  return new Redis(redisUrl, { maxRetriesPerRequest: failFast ? 2 : null, connectionName });
}

/** Quits politely, or drops the socket when Redis is gone (quit would wait for a reconnect). */
export async function closeRedisConnection(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  await connection.quit().catch(() => connection.disconnect());
}
