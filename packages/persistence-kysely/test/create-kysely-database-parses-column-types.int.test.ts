import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKyselyDatabase, type Database } from '../src/index.js';

let database: TestDatabase;
let db: Kysely<Database>;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createKyselyDatabase(database.url, { max: 1 });
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

it('returns bigint as a number, timestamptz as a Date, jsonb parsed and bytea as a Buffer', async () => {
  const { rows } = await sql<{ n: unknown; at: unknown; doc: unknown; bytes: unknown }>`
    SELECT count(*) + 41 AS n, timestamptz '2026-05-01T12:34:56.789Z' AS at,
           '{"a":[1]}'::jsonb AS doc, '\\x0102'::bytea AS bytes
  `.execute(db);

  expect(rows[0]).toEqual({
    n: 42,
    at: new Date('2026-05-01T12:34:56.789Z'),
    doc: { a: [1] },
    bytes: Buffer.from([1, 2]),
  });
});
