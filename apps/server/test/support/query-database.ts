import pg from 'pg';

/**
 * Runs one query on its own short-lived connection and returns the rows. For asserting what Postgres,
 * the source of truth, says, independently of the API that is under test.
 */
export async function queryDatabase<Row extends Record<string, unknown>>(
  databaseUrl: string,
  text: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(text, params)).rows;
  } finally {
    await client.end();
  }
}
