/*
 * The migration runner. Several processes may start at once against one database (rolling deploys, a
 * worker and an API starting together), so every step happens under one Postgres advisory lock. The lock
 * is transaction-scoped (pg_advisory_xact_lock): a session lock taken through a pool could be released on
 * a different connection than the one that took it. Each migration runs in its own transaction that
 * takes the lock, re-reads the ledger, applies the next pending file and records it; a runner that waited
 * for the lock therefore sees what the previous holder applied and never applies a file twice. A failing
 * file rolls back together with its ledger row.
 */
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { findMigrationsDir } from './find-migrations-dir.js';
import { readMigrationFiles, type MigrationFile } from './read-migration-files.js';
import { verifyLedger, type Ledger } from './verify-ledger.js';

export interface RunMigrationsOptions {
  /** A database to migrate through; left open. Give this or `connectionString`. */
  // `any`: the runner works on whatever schema the files build, and on the ledger it owns.
  readonly db?: Kysely<any>;
  /** Opened for the run and closed afterwards. */
  readonly connectionString?: string;
  /** Where the `NNNN_name.sql` files are; defaults to the repository's `migrations/` (findMigrationsDir). */
  readonly migrationsDir?: string;
  readonly log?: (message: string) => void;
}

export interface MigrationResult {
  /** The files this call applied, in order; empty when the database was up to date. */
  readonly applied: string[];
}

/** 'WhatIsUp' as a 64-bit integer: the advisory lock key every runner agrees on. */
const LOCK_KEY = '6298391230954034544';

export async function runMigrations(options: RunMigrationsOptions): Promise<MigrationResult> {
  const files = await readMigrationFiles(options.migrationsDir ?? findMigrationsDir());
  const { db, close } = openDatabase(options);
  const applied: string[] = [];
  try {
    for (;;) {
      const name = await db.transaction().execute((trx) => applyNext(trx, files, options.log));
      if (name === null) break;
      applied.push(name);
    }
    options.log?.(applied.length > 0 ? `applied ${applied.join(', ')}` : 'database is up to date');
    return { applied };
  } finally {
    await close();
  }
}

async function applyNext(trx: Transaction<any>, files: readonly MigrationFile[], log?: (m: string) => void) {
  await sql`SELECT pg_advisory_xact_lock(${sql.raw(LOCK_KEY)})`.execute(trx);
  await sql`CREATE TABLE IF NOT EXISTS _migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(trx);
  const next = verifyLedger(files, await readLedger(trx))[0];
  if (!next) return null;
  log?.(`applying ${next.name}`);
  try {
    await sql.raw(next.sql).execute(trx);
  } catch (error) {
    throw new Error(`Migration ${next.name} failed: ${(error as Error).message}`, { cause: error });
  }
  // clock_timestamp(), not the default now(): now() is when this transaction began, possibly before it
  // waited for the lock behind a runner that then applied an earlier file. The ledger's times must
  // follow the order the files were applied in.
  await sql`INSERT INTO _migrations (name, checksum, applied_at)
    VALUES (${next.name}, ${next.checksum}, clock_timestamp())`.execute(trx);
  return next.name;
}

async function readLedger(trx: Transaction<any>): Promise<Ledger> {
  const { rows } = await sql<{ name: string; checksum: string }>`SELECT name, checksum FROM _migrations`.execute(trx);
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

function openDatabase(options: RunMigrationsOptions) {
  if (options.db) return { db: options.db, close: async () => undefined };
  if (!options.connectionString) throw new Error('runMigrations needs a db or a connectionString.');
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 1 });
  // pg re-emits a server-side termination of an idle or closing connection (a restart, the database being
  // dropped right after the run) as a pool 'error'; unheard, that event would crash the process. A query
  // on a dead connection still fails on its own.
  pool.on('error', (error) => options.log?.(`idle migration connection closed: ${error.message}`));
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}
