import { Redis } from 'ioredis';

/** Deletes every key under `prefix` (never FLUSHALL/FLUSHDB: other suites share this Redis). */
export async function deleteKeysWithPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** Names of the Redis clients currently connected whose name starts with `namePrefix`. */
export async function connectedClientNames(redisUrl: string, namePrefix: string): Promise<string[]> {
  const redis = new Redis(redisUrl);
  try {
    const list = (await redis.client('LIST')) as string;
    return list
      .split('\n')
      .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')
      .filter((name) => name.startsWith(namePrefix));
  } finally {
    await redis.quit();
  }
}
