/*
 * Crash-safe file replacement: the bytes go to a temp file beside the target, which is fsynced, renamed
 * over the target (atomic on POSIX), and then the directory is fsynced so the rename itself is durable.
 * A crash at any point leaves either the old file or the new one, never a mix; a leftover temp file is
 * ignored by readers and removed at the next load.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const TEMP_SUFFIX = '.tmp';
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const handle = await open(temp, 'w', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Makes renames and unlinks in `dir` durable. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const isTempFile = (name: string): boolean => name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
