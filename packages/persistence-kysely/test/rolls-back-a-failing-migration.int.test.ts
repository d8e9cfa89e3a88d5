import { createEmptyDatabase, type TestDatabase } from '@whatisup/test-infra';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runMigrations } from '../src/index.js';
import { query } from './query.js';
import { tempMigrations, type TempMigrations } from './temp-migrations.js';

let database: TestDatabase;
let migrations: TempMigrations;

beforeEach(async () => {
  database = await createEmptyDatabase();
  migrations = await tempMigrations({
    '0001_create_things.sql': 'CREATE TABLE things (id text PRIMARY KEY);',
    // The first statement succeeds and must be rolled back with the second, which fails.
    '0002_broken.sql': "CREATE TABLE half_done (id text);\nINSERT INTO things (id) VALUES ('a'), ('a');",
    '0003_after.sql': 'CREATE TABLE after_broken (id text);',
  });
});
afterEach(async () => {
  await database.drop();
  await migrations.cleanup();
});

it('rolls back a failing migration, leaves it out of the ledger and stops before later files', async () => {
  await expect(runMigrations({ connectionString: database.url, migrationsDir: migrations.dir })).rejects.toThrow(
    /Migration 0002_broken\.sql failed: duplicate key/,
  );

  const ledger = await query<{ name: string }>(database.url, 'SELECT name FROM _migrations ORDER BY name');
  expect(ledger.map((row) => row.name)).toEqual(['0001_create_things.sql']);
  const tables = await query<{ name: string }>(
    database.url,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  expect(tables.map((row) => row.name)).toEqual(['_migrations', 'things']);
  expect(await query(database.url, 'SELECT * FROM things')).toEqual([]);
});

it('applies the fixed file on the next run', async () => {
  await runMigrations({ connectionString: database.url, migrationsDir: migrations.dir }).catch(() => undefined);
  await migrations.write('0002_broken.sql', "INSERT INTO things (id) VALUES ('a');");

  const result = await runMigrations({ connectionString: database.url, migrationsDir: migrations.dir });

  expect(result.applied).toEqual(['0002_broken.sql', '0003_after.sql']);
});
