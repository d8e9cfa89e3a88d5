/*
 * The layout under the data directory this package owns:
 *   pgdata/    the PostgreSQL cluster, initialised once and reused by every later start
 *   password   the superuser's random password (0600); the URL is built from it
 *   port       the port chosen on first start, reused so the URL stays the same across restarts
 * initdb writes into a scratch directory that is renamed to pgdata only when it succeeded, so a crash during
 * the first start leaves no half-initialised cluster behind.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EmbeddedPostgresLogger } from './embedded-postgres-logger.js';
import { grantTraverse } from './grant-traverse.js';
import type { PostgresBinaries } from './postgres-binaries.js';
import type { RunAs } from './run-as.js';

export const SUPERUSER = 'postgres';
const MAJOR_VERSION = '18';

export interface ClusterDirectory {
  readonly pgdata: string;
  readonly password: string;
  /** True when this call ran initdb. */
  readonly created: boolean;
}

export async function prepareClusterDirectory(
  dataDir: string,
  binaries: PostgresBinaries,
  runAs: RunAs,
  logger: EmbeddedPostgresLogger,
): Promise<ClusterDirectory> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // As root the server runs as another user, which must be able to enter this directory and its parents.
  if (runAs.uid !== undefined && runAs.gid !== undefined) await grantTraverse(dataDir, { uid: runAs.uid, gid: runAs.gid }, logger);
  // Absolute: the running server reports it as its data_directory, which readiness compares.
  const pgdata = resolve(dataDir, 'pgdata');
  const password = await readOrCreatePassword(join(dataDir, 'password'));
  const version = await readFile(join(pgdata, 'PG_VERSION'), 'utf8').catch(() => null);
  if (version !== null) {
    if (version.trim() !== MAJOR_VERSION) {
      throw new Error(
        `The embedded PostgreSQL data in ${pgdata} was made by PostgreSQL ${version.trim()}, ` +
          `but this build runs PostgreSQL ${MAJOR_VERSION}. Dump it with that version, or use another DATA_DIR.`,
      );
    }
    return { pgdata, password, created: false };
  }
  if (await exists(pgdata)) {
    throw new Error(`${pgdata} exists but holds no PostgreSQL cluster; move it away or use another DATA_DIR.`);
  }
  const scratch = join(dataDir, `pgdata.init-${randomBytes(4).toString('hex')}`);
  const passwordFile = join(dataDir, `initdb-password-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(scratch, { mode: 0o700 });
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (runAs.uid !== undefined && runAs.gid !== undefined) {
      await chown(scratch, runAs.uid, runAs.gid);
      await chown(passwordFile, runAs.uid, runAs.gid);
    }
    logger.info(`Initialising the embedded PostgreSQL cluster in ${pgdata}`);
    await runInitdb(binaries.initdb, runAs, [
      `--pgdata=${scratch}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
      '--no-instructions',
    ]);
    await rename(scratch, pgdata);
  } finally {
    await rm(passwordFile, { force: true });
    await rm(scratch, { recursive: true, force: true });
  }
  return { pgdata, password, created: true };
}

async function readOrCreatePassword(file: string): Promise<string> {
  const saved = await readFile(file, 'utf8').catch(() => null);
  if (saved?.trim()) return saved.trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function runInitdb(initdb: string, runAs: RunAs, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(initdb, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4_000));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => reject(new Error(`Could not run initdb (${error.message}).`, { cause: error })));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`initdb failed (exit ${code ?? signal}): ${output.trim()}`));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
