import { describeLeaderLockContract } from '@whatisup/core/testing';
import { createTestDatabase } from '@whatisup/test-infra';
import { createKyselyDatabase, createKyselyLeaderLock } from '../../src/index.js';

// Two pools: two processes sharing one database.
describeLeaderLockContract('Postgres advisory locks', async () => {
  const database = await createTestDatabase();
  const pools = [createKyselyDatabase(database.url, { max: 2 }), createKyselyDatabase(database.url, { max: 2 })];
  return {
    first: createKyselyLeaderLock(pools[0]!),
    second: createKyselyLeaderLock(pools[1]!),
    cleanup: async () => {
      await Promise.all(pools.map((pool) => pool.destroy()));
      await database.drop();
    },
  };
});
