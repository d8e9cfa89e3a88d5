/*
 * The bench's Redis keys: every key the server writes starts with `<REDIS_PREFIX>:` (BullMQ queues, the
 * per-host gate, rate-limit buckets), so a unique prefix per run isolates it from anything else sharing the
 * Redis, and deleting by that prefix cleans up after it.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export function uniqueBenchPrefix(): string {
  return `wiu-bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Deletes every key under `<prefix>:`; resolves with how many were deleted. */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
