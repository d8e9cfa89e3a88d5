import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { createKyselyDatabase, type Database } from '../src/index.js';

export interface TestKysely {
  readonly database: TestDatabase;
  readonly db: Kysely<Database>;
}

/**
 * For a test file: before all its tests a fresh migrated database and a Kysely pool of `max` connections over
 * it, handed to `opened` (the file keeps them in its own `let`s); after all, the pool is closed and the
 * database dropped.
 */
export function useTestKysely(options: { readonly max: number }, opened: (kysely: TestKysely) => void): void {
  let kysely: TestKysely | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase();
    kysely = { database, db: createKyselyDatabase(database.url, { max: options.max }) };
    opened(kysely);
  });
  afterAll(async () => {
    await kysely?.db.destroy();
    await kysely?.database.drop();
  });
}
