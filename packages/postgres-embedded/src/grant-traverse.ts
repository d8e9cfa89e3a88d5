/*
 * As root the server runs as the postgres user, which must be able to enter every directory above its
 * cluster and above its binaries. DATA_DIR and its parents are often private to root (0700: ./.data as the server creates it,
 * /root), so each one the postgres user cannot enter gets the execute bit for others: entering, not listing
 * or reading. Each change is logged.
 */
import { chmod, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddedPostgresLogger } from './embedded-postgres-logger.js';

export async function grantTraverse(
  dir: string,
  user: { readonly uid: number; readonly gid: number },
  logger: EmbeddedPostgresLogger,
): Promise<void> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const info = await stat(current);
    const canEnter =
      (info.mode & 0o001) !== 0 ||
      (info.gid === user.gid && (info.mode & 0o010) !== 0) ||
      (info.uid === user.uid && (info.mode & 0o100) !== 0);
    if (!canEnter) {
      await chmod(current, (info.mode & 0o7777) | 0o001);
      logger.warn(`Let the postgres user enter ${current} (added the execute bit for others) to reach its data or binaries`);
    }
    if (path.dirname(current) === current) return;
  }
}
