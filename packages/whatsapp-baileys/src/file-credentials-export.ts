/*
 * Reads the file credentials of `<dataDir>/sessions/<instanceId>/` as the entries the shared credential
 * store keeps (`creds`, `<type>/<id>`, each the same BufferJSON text), for the CLI that moves them into
 * Postgres; and sets a moved directory aside, so the file store no longer finds it.
 */
import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { CREDS_ENTRY, keyEntryName } from './database-auth-store.js';
import { isTempFile } from './write-file-atomic.js';

const INSTANCE_ID = /^[A-Za-z0-9_-]{1,100}$/;
const KEY_FILE = /^(.+)--([A-Za-z0-9_-]*)\.json$/;

/** Ids of the instances with a credentials directory under `<dataDir>/sessions`. */
export async function listFileCredentialInstances(dataDir: string): Promise<string[]> {
  const names = await readdir(join(dataDir, 'sessions')).catch(() => [] as string[]);
  return names.filter((name) => INSTANCE_ID.test(name)).sort();
}

/** The instance's entries, or null when it has no `creds.json`. */
export async function readFileCredentials(dataDir: string, instanceId: string): Promise<Map<string, string> | null> {
  if (!INSTANCE_ID.test(instanceId)) return null;
  const dir = join(dataDir, 'sessions', instanceId);
  let creds: string;
  try {
    creds = await readFile(join(dir, 'creds.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const entries = new Map<string, string>([[CREDS_ENTRY, creds]]);
  const files = await readdir(join(dir, 'keys')).catch(() => [] as string[]);
  for (const file of files.filter((name) => !isTempFile(name))) {
    const match = KEY_FILE.exec(file);
    if (match === null) continue;
    const id = Buffer.from(match[2]!, 'base64url').toString('utf8');
    entries.set(keyEntryName(match[1]!, id), await readFile(join(dir, 'keys', file), 'utf8'));
  }
  return entries;
}

/** Renames the instance's directory to `<id>.moved-<time>`; the file store ignores it from then on. */
export async function setFileCredentialsAside(dataDir: string, instanceId: string, at: Date): Promise<string> {
  const from = join(dataDir, 'sessions', instanceId);
  const to = `${from}.moved-${at.toISOString().replace(/[:.]/g, '-')}`;
  await rename(from, to);
  return to;
}
