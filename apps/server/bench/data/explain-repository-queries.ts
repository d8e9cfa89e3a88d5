/*
 * EXPLAIN (ANALYZE, BUFFERS) of the statements the Postgres adapter issues: the repository is called on a
 * pool that records its queries, and each recorded statement is explained with its own parameters. A
 * statement that writes is explained inside a transaction that is rolled back.
 */
import { createKyselyDatabase } from '@whatisup/persistence-kysely';
import pg from 'pg';

export interface ExplainedStatement {
  readonly title: string;
  readonly sql: string;
  readonly plan: string;
  readonly executionMs: number;
}

/** Runs `call` on a recording database and explains the first statement it issued. */
export async function explainFirstStatement(
  url: string,
  title: string,
  call: (db: ReturnType<typeof createKyselyDatabase>) => Promise<unknown>,
): Promise<ExplainedStatement> {
  const statements: Array<{ readonly sql: string; readonly parameters: readonly unknown[] }> = [];
  const db = createKyselyDatabase(url, { max: 1, onQuery: (event) => void statements.push(event.query) });
  try {
    await call(db);
  } finally {
    await db.destroy();
  }
  const statement = statements[0];
  if (!statement) throw new Error(`${title}: no statement was issued`);
  return explain(url, title, statement.sql, [...statement.parameters]);
}

export async function explain(url: string, title: string, sql: string, parameters: unknown[] = []): Promise<ExplainedStatement> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters);
    const plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
    const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
    return { title, sql: sql.replace(/\s+/g, ' ').trim(), plan, executionMs };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}
