import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import type { CompiledQuery, Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { createKyselyDatabase, type Database } from '../src/index.js';

export interface TestKysely {
  readonly database: TestDatabase;
  readonly db: Kysely<Database>;
}

/**
 * For a test file: before all its tests a fresh migrated database and a Kysely pool of `max` connections over
 * it, handed to `opened` (the file keeps them in its own `let`s); after all, the pool is closed and the
 * database dropped. `onStatement` is told every statement the pool runs (to count them, or to explain one).
 */
export function useTestKysely(
  options: { readonly max: number; readonly onStatement?: (statement: CompiledQuery) => void },
  opened: (kysely: TestKysely) => void,
): void {
  let kysely: TestKysely | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase();
    const { onStatement } = options;
    const db = createKyselyDatabase(database.url, { max: options.max, ...(onStatement && { onQuery: (event) => onStatement(event.query) }) });
    kysely = { database, db };
    opened(kysely);
  });
  afterAll(async () => {
    await kysely?.db.destroy();
    await kysely?.database.drop();
  });
}
