import type { ContractSetup } from '@whatisup/core/testing';
import { createTestDatabase } from '@whatisup/test-infra';
import { createKyselyDatabase, createKyselyUnitOfWork } from '../../src/index.js';

/** Runs a core contract suite on a fresh clone of the migrated template, dropped afterwards. */
export const kyselyContractSubject: ContractSetup = async () => {
  const database = await createTestDatabase();
  const db = createKyselyDatabase(database.url, { max: 4 });
  const uow = createKyselyUnitOfWork(db);
  return {
    uow,
    repos: uow.repos,
    cleanup: async () => {
      await db.destroy();
      await database.drop();
    },
  };
};
