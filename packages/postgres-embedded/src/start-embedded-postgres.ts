/*
 * A real PostgreSQL server for a machine that has none: started as a child of this process, with its data
 * under `dataDir` so a restart finds the same databases. Meant for development, tests and single-machine
 * trials; production points DATABASE_URL at a managed server.
 */
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadPostgresBinaries } from './postgres-binaries.js';
import { grantTraverse } from './grant-traverse.js';
import { clearPostmasterLock } from './postmaster-lock.js';
import { PostgresStartError, startPostgresServer } from './postgres-server-process.js';
import { prepareClusterDirectory, SUPERUSER } from './cluster-directory.js';
import { resolveRunAs } from './run-as.js';
import { findFreePort, readStoredPort, storePort } from './stored-port.js';
import type { EmbeddedPostgresLogger } from './embedded-postgres-logger.js';

export interface EmbeddedPostgresOptions {
  /** A directory this server owns (created when missing); the cluster, its password and port live here. */
  readonly dataDir: string;
  /** Listen here. Default: the port stored in `dataDir` by an earlier start, else a free one (then stored). */
  readonly port?: number;
  readonly logger: EmbeddedPostgresLogger;
  /** Longest wait for the server to accept queries. Default 30 s. */
  readonly startTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** The superuser's URL to the `postgres` database on 127.0.0.1. Holds the password: never log it. */
  readonly url: string;
  readonly port: number;
  /** The data directory given, for the startup line. */
  readonly dataDir: string;
  /** Shuts the server down (fast shutdown: sessions end, data is flushed). Idempotent. */
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, logger } = options;
  const binaries = await loadPostgresBinaries();
  const runAs = await resolveRunAs();
  // The binaries live under node_modules, which may sit in a checkout private to root (a 0700 temporary
  // clone, /root): the postgres user must be able to reach them as well as its data.
  if (runAs.uid !== undefined && runAs.gid !== undefined) {
    await grantTraverse(dirname(binaries.initdb), { uid: runAs.uid, gid: runAs.gid }, logger);
  }
  const cluster = await prepareClusterDirectory(dataDir, binaries, runAs, logger);
  const ownerFile = join(dataDir, 'owner');
  await clearPostmasterLock(cluster.pgdata, ownerFile, logger);

  const start = async (port: number) => {
    const url = `postgres://${SUPERUSER}:${encodeURIComponent(cluster.password)}@127.0.0.1:${port}/postgres`;
    const server = await startPostgresServer({
      postgres: binaries.postgres,
      pgdata: cluster.pgdata,
      port,
      url,
      runAs,
      logger,
      startTimeoutMs: options.startTimeoutMs ?? 30_000,
    });
    return { server, url, port };
  };

  let started;
  if (options.port !== undefined) {
    started = await start(options.port).catch((error: unknown) => {
      throw explain(error, `on port ${options.port}`, dataDir);
    });
  } else {
    const stored = await readStoredPort(dataDir);
    // A stored port that something else took meanwhile is given up for a new free one.
    const port = (stored !== null && (await findFreePort(stored))) || (await findFreePort());
    if (port === null) throw new Error('No free TCP port on 127.0.0.1 for the embedded PostgreSQL server.');
    if (port !== stored) await storePort(dataDir, port);
    started = await start(port).catch((error: unknown) => {
      throw explain(error, `on port ${port}`, dataDir);
    });
  }

  // Tells a later start, after a crash of this process, that the server still running is an orphan.
  await writeFile(ownerFile, `${process.pid}\n`, { mode: 0o600 });
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    await started.server.stop();
    await rm(ownerFile, { force: true });
  };
  return {
    url: started.url,
    port: started.port,
    dataDir,
    stop: () => (stopping ??= stop()),
  };
}

function explain(error: unknown, where: string, dataDir: string): Error {
  const detail = error instanceof PostgresStartError ? error.message : String(error);
  return new Error(`The embedded PostgreSQL server (data in ${dataDir}) could not start ${where}. ${detail}`, {
    cause: error,
  });
}
