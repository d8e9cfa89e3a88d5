/*
 * Baileys auth state for one instance, on disk under `<sessionsDir>/<instanceId>/`:
 *   creds.json                      the account credentials (BufferJSON)
 *   keys/<type>--<base64url id>.json one file per signal key
 * Every write is atomic (see write-file-atomic.ts), files are 0600 and directories 0700. Signal keys are
 * cached in memory after the first read, so Baileys' hot path (encrypting every message) rarely touches
 * disk. Writes go through one queue so the last write of a file is the one that lands. Wiping renames the
 * directory aside first (one atomic step) and deletes it after, so a crash mid-wipe never leaves a
 * half-deleted, still-loadable session.
 */
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BufferJSON, initAuthCreds, proto } from '@whiskeysockets/baileys';
import type {
  AuthenticationCreds,
  AuthenticationState,
  SignalDataSet,
  SignalDataTypeMap,
} from '@whiskeysockets/baileys';
import { DIR_MODE, fsyncDirectory, isTempFile, writeFileAtomic } from './write-file-atomic.js';

export interface FileAuthStore {
  /** Reads the stored state, or starts (and stores) fresh credentials when there is none. */
  load(): Promise<AuthenticationState>;
  /** Persists the credentials object handed out by `load()` (call after Baileys' `creds.update`). */
  saveCreds(): Promise<void>;
  /** Resolves when every write queued so far has landed. */
  flush(): Promise<void>;
  /** Deletes everything stored for the instance; later writes are dropped until the next `load()`. */
  wipe(): Promise<void>;
}

type KeyType = keyof SignalDataTypeMap;

const CREDS_FILE = 'creds.json';
const KEYS_DIR = 'keys';

const serialise = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);
const deserialise = (text: string): unknown => JSON.parse(text, BufferJSON.reviver);
const keyFileName = (type: string, id: string): string =>
  `${type}--${Buffer.from(id, 'utf8').toString('base64url')}.json`;

/** Reads stored credentials; null when absent. Throws when the file exists but cannot be parsed. */
export async function readStoredCreds(dir: string): Promise<AuthenticationCreds | null> {
  try {
    return deserialise(await readFile(join(dir, CREDS_FILE), 'utf8')) as AuthenticationCreds;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function createFileAuthStore(deps: { readonly dir: string }): FileAuthStore {
  const { dir } = deps;
  const keysDir = join(dir, KEYS_DIR);
  const cache = new Map<string, unknown>(); // file name → value (null when known absent)
  let creds: AuthenticationCreds | null = null;
  let wiped = false;
  let queue: Promise<unknown> = Promise.resolve();

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };

  async function ensureDirs(): Promise<void> {
    await mkdir(keysDir, { recursive: true, mode: DIR_MODE });
  }

  async function removeTempFiles(path: string): Promise<void> {
    const names = await readdir(path).catch(() => [] as string[]);
    await Promise.all(names.filter(isTempFile).map((name) => rm(join(path, name), { force: true })));
  }

  async function readKey(name: string): Promise<unknown> {
    if (cache.has(name)) return cache.get(name);
    let value: unknown = null;
    try {
      value = deserialise(await readFile(join(keysDir, name), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (!cache.has(name)) cache.set(name, value); // a set() that raced this read wins
    return cache.get(name);
  }

  async function writeKeys(entries: ReadonlyArray<readonly [string, unknown]>): Promise<void> {
    if (wiped) return;
    await ensureDirs();
    await Promise.all(
      entries.map(([name, value]) =>
        value === null ? rm(join(keysDir, name), { force: true }) : writeFileAtomic(join(keysDir, name), serialise(value)),
      ),
    );
    await fsyncDirectory(keysDir);
  }

  const keys: AuthenticationState['keys'] = {
    async get<T extends KeyType>(type: T, ids: string[]) {
      const result: { [id: string]: SignalDataTypeMap[T] } = {};
      await Promise.all(
        ids.map(async (id) => {
          let value = await readKey(keyFileName(type, id));
          if (value === null || value === undefined) return;
          if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
          result[id] = value as SignalDataTypeMap[T];
        }),
      );
      return result;
    },
    async set(data: SignalDataSet) {
      const entries: Array<[string, unknown]> = [];
      for (const [type, values] of Object.entries(data)) {
        for (const [id, value] of Object.entries(values ?? {})) {
          const name = keyFileName(type, id);
          cache.set(name, value ?? null);
          entries.push([name, value ?? null]);
        }
      }
      if (entries.length > 0) await enqueue(() => writeKeys(entries));
    },
  };

  return {
    async load() {
      await enqueue(async () => {
        wiped = false;
        cache.clear();
        await ensureDirs();
        await Promise.all([removeTempFiles(dir), removeTempFiles(keysDir)]);
        creds = await readStoredCreds(dir);
      });
      if (creds === null) {
        creds = initAuthCreds();
        await this.saveCreds();
      }
      return { creds, keys };
    },
    saveCreds() {
      const snapshot = creds === null ? null : serialise(creds);
      return enqueue(async () => {
        if (wiped || snapshot === null) return;
        await ensureDirs();
        await writeFileAtomic(join(dir, CREDS_FILE), snapshot);
        await fsyncDirectory(dir);
      });
    },
    flush: () => enqueue(async () => undefined),
    wipe() {
      return enqueue(async () => {
        wiped = true;
        cache.clear();
        creds = null;
        await wipeDirectory(dir);
      });
    },
  };
}

/** Renames the directory aside (atomic), then deletes it. A no-op when it does not exist. */
export async function wipeDirectory(dir: string): Promise<void> {
  const aside = `${dir}.wiped-${randomBytes(4).toString('hex')}`;
  try {
    await rename(dir, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}
