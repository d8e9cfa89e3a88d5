import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';

export interface KyselyDatabaseOptions {
  /** Pool size (pg's default is 10). */
  readonly max?: number;
  /**
   * Called when an idle pooled connection fails (the server restarted, a network blip). pg emits these
   * outside any query; unhandled they would crash the process. The pool replaces the connection itself.
   */
  readonly onIdleError?: (error: Error) => void;
  /** Told about every statement (its SQL, parameters and duration): slow-query logging, tests of plans. */
  readonly onQuery?: (event: LogEvent) => void;
  /**
   * A role every pooled connection takes at its start (`SET ROLE`, sent in the startup packet so a
   * connection that cannot take it fails to open rather than running as the login role). The server passes
   * `whatisup_app` (DATABASE_APP_ROLE): it owns nothing, so it can neither disable the audit log's
   * triggers nor set session_replication_role. A plain role name: lower-case letters, digits, underscores.
   */
  readonly role?: string;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const INT8_OID = 20;

/**
 * Type parsing is set per pool, not on pg's global `types`, so this package changes nothing for other
 * pg users in the process. bigint (sequences, count(*)) becomes a number: every bigint in this schema is a
 * counter far below 2^53. timestamptz keeps pg's default (a Date), jsonb is parsed, bytea is a Buffer.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
};

/** Opens a pooled connection to Postgres. The caller owns it: `await db.destroy()` on shutdown. */
export function createKyselyDatabase(connectionString: string, options: KyselyDatabaseOptions = {}): Kysely<Database> {
  const { role } = options;
  if (role !== undefined && !ROLE_NAME.test(role)) throw new Error('A database role name is lower-case letters, digits and underscores.');
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, types, ...(role !== undefined && { options: `-c role=${role}` }) });
  pool.on('error', (error) => options.onIdleError?.(error));
  const log = options.onQuery;
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
}
