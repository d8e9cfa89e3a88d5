/*
 * The LeaderLock port over the advisory locks of kysely-leader-lock.ts: the work runs while the lock's
 * pinned connection holds it, and on the pool like any other work (it does not need that connection).
 */
import type { LeaderLock } from '@whatisup/core';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { runAsLeader } from './kysely-leader-lock.js';

export function createKyselyLeaderLock(db: Kysely<Database>): LeaderLock {
  return { run: (name, work) => runAsLeader(db, name, () => work()) };
}
