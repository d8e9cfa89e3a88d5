/*
 * Runs the `postgres` server as a child of this process, listening on 127.0.0.1 only (no Unix socket), and
 * reports it ready once a query passes. Its log lines go to the logger: warnings and errors as warnings,
 * the rest as info. Stopping asks for a fast shutdown (SIGINT: sessions are ended, data is flushed), and
 * escalates to an immediate one (SIGQUIT) if that hangs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import type { EmbeddedPostgresLogger } from './embedded-postgres-logger.js';
import type { RunAs } from './run-as.js';

export interface PostgresServerProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  readonly postgres: string;
  readonly pgdata: string;
  readonly port: number;
  readonly url: string;
  readonly runAs: RunAs;
  readonly logger: EmbeddedPostgresLogger;
  readonly startTimeoutMs: number;
}

/** Thrown when the server exited before it was ready; `log` holds its last output. */
export class PostgresStartError extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(log ? `${message}: ${log}` : message);
    this.name = 'PostgresStartError';
  }
}

const STOP_GRACE_MS = 20_000;

export async function startPostgresServer(options: StartServerOptions): Promise<PostgresServerProcess> {
  const child = spawn(
    options.postgres,
    [
      '-D', options.pgdata,
      '-p', String(options.port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
    ],
    // Its own process group: a Ctrl+C in the terminal signals the whole foreground group, and the server
    // must still reach its database while it drains; we stop it ourselves, last.
    { ...options.runAs, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let tail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4_000);
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) options.logger.warn(`postgres: ${line}`);
      else options.logger.info(`postgres: ${line}`);
    }
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new PostgresStartError(`Could not run postgres (${error.message})`, '')));
    child.once('exit', (code, signal) =>
      reject(new PostgresStartError(`The embedded PostgreSQL server exited (${code ?? signal}) while starting`, tail.trim())),
    );
  });
  exited.catch(() => undefined);
  try {
    await Promise.race([waitUntilReady(options.url, options.pgdata, options.startTimeoutMs), exited]);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}

/**
 * Ready once a query passes on OUR server: another PostgreSQL already on the port (a copy of this cluster,
 * with the same password) would answer too, so the server's data directory is compared with ours.
 */
async function waitUntilReady(url: string, pgdata: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    let served: string | undefined;
    try {
      await client.connect();
      const { rows } = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
      served = rows[0]?.dir;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new PostgresStartError(`The embedded PostgreSQL server was not ready after ${timeoutMs} ms`, (error as Error).message);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
      continue;
    } finally {
      await client.end().catch(() => undefined);
    }
    if (served === pgdata) return;
    throw new PostgresStartError('Another PostgreSQL server answers on this port', `its data is in ${served}`);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const escalate = setTimeout(() => child.kill('SIGQUIT'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(escalate);
      resolve();
    });
    child.kill('SIGINT');
  });
}
