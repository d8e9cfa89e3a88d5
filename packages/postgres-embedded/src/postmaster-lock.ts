/*
 * A crash can leave two things behind in the cluster directory:
 *  - a postmaster.pid whose process is gone (the server was killed, or the machine rebooted and the pid now
 *    belongs to something else): the file is stale and is removed, so PostgreSQL does not refuse to start;
 *  - a PostgreSQL server still running, orphaned by our crashed process (killing Node does not kill its
 *    children). It holds this data directory, so it is stopped before ours starts. Whose server it is comes
 *    from the `owner` file (the pid of the process that started it): a live owner is another process
 *    using this data directory, which is refused, never stopped.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbeddedPostgresLogger } from './embedded-postgres-logger.js';

export async function clearPostmasterLock(
  pgdata: string,
  ownerFile: string,
  logger: EmbeddedPostgresLogger,
): Promise<void> {
  const lockFile = join(pgdata, 'postmaster.pid');
  const text = await readFile(lockFile, 'utf8').catch(() => null);
  if (text === null) return;
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !(await isPostgresProcess(pid))) {
    logger.warn(`Removing a stale postmaster.pid (pid ${pid} is not running) left by an earlier crash`);
    await rm(lockFile, { force: true });
    return;
  }
  const owner = Number.parseInt((await readFile(ownerFile, 'utf8').catch(() => '')).trim(), 10);
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    throw new Error(
      `Another process (pid ${owner}) is running an embedded PostgreSQL server (pid ${pid}) on ${pgdata}. ` +
        'Stop it, or give this process another DATA_DIR.',
    );
  }
  logger.warn(`Stopping an orphaned embedded PostgreSQL server (pid ${pid}) left by an earlier crash`);
  process.kill(pid, 'SIGINT');
  await waitForExit(pid, 30_000);
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const command = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => null);
  // Without /proc (macOS) a live pid is taken for the server: stopping an orphan beats deleting its lock.
  return command === null || command.trim().startsWith('postgres');
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

/** Alive and not a zombie: an exited orphan may wait long to be reaped by a PID 1 that is no real init. */
async function isRunning(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat === null || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await isRunning(pid)) {
    if (Date.now() > deadline) throw new Error(`The orphaned PostgreSQL server (pid ${pid}) did not stop.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
