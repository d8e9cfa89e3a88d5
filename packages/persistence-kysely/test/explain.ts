import type { CompiledQuery } from 'kysely';
import pg from 'pg';

/**
 * The plan of a statement the adapter issued (captured through `onQuery`), with sequential scans priced
 * out so that a usable index shows up even on the few rows a test has.
 */
export async function explainWithoutSeqScan(url: string, statement: CompiledQuery): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET enable_seqscan = off');
    const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.sql}`, [...statement.parameters]);
    return result.rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
  }
}
