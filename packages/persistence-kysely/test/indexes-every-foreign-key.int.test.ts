import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { query } from './query.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/*
 * ON DELETE CASCADE / SET NULL runs one query per deleted parent row on the referencing column, and tenant
 * scans filter on customer_id: without an index leading with the column, each is a scan of the whole
 * child table. Partitions inherit their parent's foreign keys and indexes, so the parents are checked. A
 * partial index counts only when it leaves out nothing but NULLs (which no referential action looks for).
 */
it('has an index leading with the column of every foreign key', async () => {
  const unindexed = await query<{ fk: string }>(
    database.url,
    `SELECT c.conrelid::regclass || '(' || a.attname || ')' AS fk
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.contype = 'f' AND c.conparentid = 0 AND NOT t.relispartition
       AND NOT EXISTS (
         SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1]
           -- A partial index serves the referential action only when it covers every non-null value.
           AND (i.indpred IS NULL OR pg_get_expr(i.indpred, i.indrelid) = '(' || a.attname || ' IS NOT NULL)'))
     ORDER BY 1`,
  );

  expect(unindexed.map((row) => row.fk)).toEqual([]);
});
