import { describeSessionCredentialRepositoryContract } from '@whatisup/core/testing';
import { createTestDatabase } from '@whatisup/test-infra';
import { createKyselyDatabase, createKyselySessionCredentialRepository, createKyselyUnitOfWork } from '../../src/index.js';

describeSessionCredentialRepositoryContract('Kysely on Postgres', async () => {
  const database = await createTestDatabase();
  const db = createKyselyDatabase(database.url, { max: 4 });
  return {
    credentials: createKyselySessionCredentialRepository(db),
    repos: createKyselyUnitOfWork(db).repos,
    cleanup: async () => {
      await db.destroy();
      await database.drop();
    },
  };
});
