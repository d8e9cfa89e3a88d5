import { describeNodeRegistryContract } from '@whatisup/core/testing';
import { createTestDatabase } from '@whatisup/test-infra';
import { createKyselyDatabase, createKyselyNodeRegistry } from '../../src/index.js';

describeNodeRegistryContract('Kysely on Postgres', async () => {
  const database = await createTestDatabase();
  const db = createKyselyDatabase(database.url, { max: 2 });
  return {
    registry: createKyselyNodeRegistry(db),
    cleanup: async () => {
      await db.destroy();
      await database.drop();
    },
  };
});
