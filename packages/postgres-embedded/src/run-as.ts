/*
 * PostgreSQL refuses to run as root. When this process is root (a container's default), initdb and the
 * server run as the `postgres` system user, created when missing, and the cluster directory is handed to it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The uid/gid to spawn PostgreSQL with; empty when this process is not root (it runs as ourselves). */
export interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

export const POSTGRES_SYSTEM_USER = 'postgres';

export async function resolveRunAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const found = await lookupUser(POSTGRES_SYSTEM_USER);
  if (found) return found;
  try {
    await run('useradd', ['--system', '--user-group', '--no-create-home', POSTGRES_SYSTEM_USER]);
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root, and creating a "${POSTGRES_SYSTEM_USER}" user failed ` +
        `(${(error as Error).message.trim()}). Create that user, run as a non-root user, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  const created = await lookupUser(POSTGRES_SYSTEM_USER);
  if (!created) throw new Error(`The "${POSTGRES_SYSTEM_USER}" user was created but cannot be found.`);
  return created;
}

async function lookupUser(name: string): Promise<{ uid: number; gid: number } | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return null;
  }
}
