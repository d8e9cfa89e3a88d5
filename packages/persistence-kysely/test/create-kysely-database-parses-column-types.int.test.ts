import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { type Database } from '../src/index.js';
import { useTestKysely } from './use-test-kysely.js';

let db: Kysely<Database>;
useTestKysely({ max: 1 }, (opened) => ({ db } = opened));

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
