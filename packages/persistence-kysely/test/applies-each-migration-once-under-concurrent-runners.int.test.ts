import { createHash } from 'node:crypto';
import { createEmptyDatabase, type TestDatabase } from '@whatisup/test-infra';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createKyselyDatabase, runMigrations } from '../src/index.js';
import { query } from './query.js';
import { tempMigrations, type TempMigrations } from './temp-migrations.js';

describe('runMigrations on an empty database', () => {
  let database: TestDatabase;
  let migrations: TempMigrations;

  beforeEach(async () => {
    database = await createEmptyDatabase();
    migrations = await tempMigrations(
      {
        '0002_add_widgets.sql': 'CREATE TABLE widgets (id text PRIMARY KEY);',
        '0003_seed_widgets.sql': "INSERT INTO widgets (id) VALUES ('w1');",
      },
      true,
    );
  });
  afterEach(async () => {
    await database.drop();
    await migrations.cleanup();
  });

  it('applies every file once, in name order, when five runners start at the same time', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        runMigrations({ connectionString: database.url, migrationsDir: migrations.dir }),
      ),
    );

    const applied = results.flatMap((result) => result.applied).sort();
    expect(applied).toEqual(['0001_initial_schema.sql', '0002_add_widgets.sql', '0003_seed_widgets.sql']);
    const ledger = await query<{ name: string }>(database.url, 'SELECT name FROM _migrations ORDER BY applied_at, name');
    expect(ledger.map((row) => row.name)).toEqual(applied);
    expect(await query(database.url, 'SELECT id FROM widgets')).toEqual([{ id: 'w1' }]);
  });

  it('records the sha256 of each file and applies nothing on a second run', async () => {
    const first = await runMigrations({ connectionString: database.url, migrationsDir: migrations.dir });
    const second = await runMigrations({ connectionString: database.url, migrationsDir: migrations.dir });

    expect(first.applied).toHaveLength(3);
    expect(second.applied).toEqual([]);
    const [row] = await query<{ checksum: string }>(
      database.url,
      "SELECT checksum FROM _migrations WHERE name = '0003_seed_widgets.sql'",
    );
    const bytes = "INSERT INTO widgets (id) VALUES ('w1');";
    expect(row?.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await query(database.url, 'SELECT id FROM widgets')).toHaveLength(1);
  });

  it('applies a file added after earlier ones landed', async () => {
    await runMigrations({ connectionString: database.url, migrationsDir: migrations.dir });
    await migrations.write('0004_more_widgets.sql', "INSERT INTO widgets (id) VALUES ('w2');");

    const result = await runMigrations({ connectionString: database.url, migrationsDir: migrations.dir });

    expect(result.applied).toEqual(['0004_more_widgets.sql']);
    expect(await query(database.url, 'SELECT id FROM widgets ORDER BY id')).toEqual([{ id: 'w1' }, { id: 'w2' }]);
  });

  it('migrates through a Kysely database it is given and leaves it open', async () => {
    const db = createKyselyDatabase(database.url, { max: 1 });
    try {
      const result = await runMigrations({ db, migrationsDir: migrations.dir });

      expect(result.applied).toHaveLength(3);
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM widgets`.execute(db);
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});
