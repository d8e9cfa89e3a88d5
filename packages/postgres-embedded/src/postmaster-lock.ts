/*
 * A crash can leave two things behind in the cluster directory:
 *  - a postmaster.pid whose process is gone (the server was killed, or the machine rebooted and the pid now
 *    belongs to something else): the file is stale and is removed, so PostgreSQL does not refuse to start;
 *  - a PostgreSQL server still running, orphaned by our crashed process (killing Node does not kill its
 *    children). It holds this data directory, so it is stopped before ours starts. A server whose parent is
 *    alive belongs to another running process: that is refused, never stopped.
 * Liveness and parentage are read from /proc; where /proc is absent only "gone" can be told, and a live
 * server is refused.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbeddedPostgresLogger } from './embedded-postgres-logger.js';

export async function clearPostmasterLock(pgdata: string, logger: EmbeddedPostgresLogger): Promise<void> {
  const lockFile = join(pgdata, 'postmaster.pid');
  const text = await readFile(lockFile, 'utf8').catch(() => null);
  if (text === null) return;
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !(await isPostgresProcess(pid))) {
    logger.warn(`Removing a stale postmaster.pid (pid ${pid} is not running) left by an earlier crash`);
    await rm(lockFile, { force: true });
    return;
  }
  const parent = await parentPid(pid);
  if (parent !== 1) {
    throw new Error(
      `Another process (pid ${parent ?? 'unknown'}) is running an embedded PostgreSQL server (pid ${pid}) on ` +
        `${pgdata}. Stop it, or give this process another DATA_DIR.`,
    );
  }
  logger.warn(`Stopping an orphaned embedded PostgreSQL server (pid ${pid}) left by an earlier crash`);
  process.kill(pid, 'SIGINT');
  await waitForExit(pid, 30_000);
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const command = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => null);
  // Without /proc a live pid is assumed to be the server: refusing is safer than deleting its lock.
  return command === null || command.trim().startsWith('postgres');
}

async function parentPid(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  // The command name (field 2) is in parentheses and may hold spaces: fields after the last ')' are fixed.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  const parent = Number.parseInt(fields?.[1] ?? '', 10);
  return Number.isInteger(parent) ? parent : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the postgres user, when we are not root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`The orphaned PostgreSQL server (pid ${pid}) did not stop.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
