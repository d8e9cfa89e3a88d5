import pg from 'pg';

/** Every row of every table in the public schema as text: a dump to search for leaked secrets. */
export async function dumpDatabase(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    let dump = '';
    for (const { tablename } of tables) {
      const { rows } = await client.query<{ rows: string | null }>(`SELECT json_agg(t)::text AS rows FROM "${tablename}" t`);
      dump += `-- ${tablename}\n${rows[0]?.rows ?? '[]'}\n`;
    }
    return dump;
  } finally {
    await client.end();
  }
}
