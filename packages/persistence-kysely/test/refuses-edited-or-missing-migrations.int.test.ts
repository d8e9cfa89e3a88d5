import { createEmptyDatabase, type TestDatabase } from '@whatisup/test-infra';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMigrations } from '../src/index.js';
import { query } from './query.js';
import { tempMigrations, type TempMigrations } from './temp-migrations.js';

describe('runMigrations against a ledger that disagrees with the files', () => {
  let database: TestDatabase;
  let migrations: TempMigrations;
  const run = () => runMigrations({ connectionString: database.url, migrationsDir: migrations.dir });

  beforeEach(async () => {
    database = await createEmptyDatabase();
    migrations = await tempMigrations({
      '0001_create_things.sql': 'CREATE TABLE things (id text PRIMARY KEY);',
      '0002_seed_things.sql': "INSERT INTO things (id) VALUES ('a');",
    });
    await run();
  });
  afterEach(async () => {
    await database.drop();
    await migrations.cleanup();
  });

  it('refuses to run, naming the file, when a landed migration was edited', async () => {
    await migrations.write('0002_seed_things.sql', "INSERT INTO things (id) VALUES ('b');");
    await migrations.write('0003_more.sql', "INSERT INTO things (id) VALUES ('c');");

    await expect(run()).rejects.toThrow(/0002_seed_things\.sql was edited after it was applied/);
    expect(await query(database.url, 'SELECT id FROM things')).toEqual([{ id: 'a' }]);
  });

  it('refuses to run, naming the file, when a landed migration file is missing', async () => {
    await migrations.remove('0002_seed_things.sql');

    await expect(run()).rejects.toThrow(/0002_seed_things\.sql was applied to this database but its file is missing/);
  });

  it('refuses a pending file that sorts before one that already landed', async () => {
    await migrations.write('0001_a_late_arrival.sql', 'CREATE TABLE late (id text);');

    await expect(run()).rejects.toThrow(/0001_a_late_arrival\.sql is pending but 0002_seed_things\.sql/);
  });

  it('refuses a .sql file that does not follow the NNNN_name.sql scheme', async () => {
    await migrations.write('3_oops.sql', 'SELECT 1;');

    await expect(run()).rejects.toThrow(/rename 3_oops\.sql/);
  });
});
