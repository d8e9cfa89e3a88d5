/*
 * "Only one process does this at a time" for periodic jobs that every process schedules (retention):
 * a session-level advisory lock taken with pg_try_advisory_lock on one pinned connection. A process that
 * does not get it skips the run instead of waiting, so N processes do the work once per period. The work
 * runs on that same connection: if the connection dies, Postgres releases the lock and the work stops
 * with it, so two processes never believe they lead at once. The lock is always released on the
 * connection that took it (a pooled query could land on another connection and release nothing).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

export type LeaderRun<T> = { readonly led: true; readonly result: T } | { readonly led: false };

/**
 * Runs `work` with the lock named `name` if no other session holds it; `{ led: false }` otherwise. `work`
 * gets a Kysely bound to the lock's connection.
 */
export async function runAsLeader<T>(
  db: Kysely<Database>,
  name: string,
  work: (conn: Kysely<Database>) => Promise<T>,
): Promise<LeaderRun<T>> {
  return db.connection().execute(async (conn) => {
    // The two-key form with a namespace key keeps these locks apart from the migration runner's and the
    // message stage's locks.
    const key = sql`hashtext('whatisup.leader'), hashtext(${name})`;
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${key}) AS locked`.execute(conn);
    if (rows[0]?.locked !== true) return { led: false };
    try {
      return { led: true, result: await work(conn) };
    } finally {
      await sql`SELECT pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}
