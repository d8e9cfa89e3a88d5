/*
 * Baileys auth state for one instance in the shared credential store (Postgres, sealed with SECRETS_KEY),
 * so whichever node runs the session reads the same keys. Entries: `creds` (the account) and
 * `<type>/<id>` per signal key, each a BufferJSON text.
 *
 * Baileys writes signal keys often (a session ratchet per message sent or received, pre-keys in bulk):
 * writes are batched. Every change within `batchMs` of the first goes out in one transaction; a caller's
 * `keys.set` or `saveCreds` resolves once the batch holding its change is written, so nothing is reported
 * stored before it is. Everything is read once at `load` and kept in memory: reads never wait on Postgres.
 * A batch refused because this node lost the instance's lease rejects its callers (Baileys logs it) and is
 * dropped: the new owner's state wins.
 */
import { BufferJSON, initAuthCreds, proto } from '@whiskeysockets/baileys';
import type { AuthenticationCreds, AuthenticationState, SignalDataSet, SignalDataTypeMap } from '@whiskeysockets/baileys';
import type { SessionCredentialStore } from '@whatisup/core';
import type { FileAuthStore } from './file-auth-store.js';

type KeyType = keyof SignalDataTypeMap;

export const CREDS_ENTRY = 'creds';
export const keyEntryName = (type: string, id: string): string => `${type}/${id}`;
const serialise = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);
const deserialise = (text: string): unknown => JSON.parse(text, BufferJSON.reviver);

/** Whether a stored account entry is paired (a fresh, unpaired one cannot resume). */
export const isPairedCreds = (text: string | null): boolean =>
  text !== null && Boolean((deserialise(text) as Partial<AuthenticationCreds>).me?.id);

export interface DatabaseAuthStoreDeps {
  readonly instanceId: string;
  readonly store: SessionCredentialStore;
  /** How long changes gather before one write; default 50 ms. */
  readonly batchMs?: number;
  /** Told the size of every batch written (entries), e.g. to count writes per message. */
  readonly onBatch?: (entries: number) => void;
}

interface Batch {
  readonly changes: Map<string, string | null>;
  readonly done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  done.catch(() => undefined); // a caller that does not await still must not crash the process
  return { changes: new Map(), done, resolve, reject };
}

export function createDatabaseAuthStore(deps: DatabaseAuthStoreDeps): FileAuthStore {
  const { instanceId, store } = deps;
  const batchMs = deps.batchMs ?? 50;
  const cache = new Map<string, unknown>();
  let creds: AuthenticationCreds | null = null;
  let wiped = false;
  let open: Batch | null = null;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  function write(batch: Batch): void {
    writing = writing.then(async () => {
      if (wiped) return batch.resolve();
      try {
        await store.write(instanceId, batch.changes);
        deps.onBatch?.(batch.changes.size);
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    });
  }

  function closeBatch(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const batch = open;
    open = null;
    if (batch !== null) write(batch);
  }

  function change(name: string, text: string | null): Promise<void> {
    open ??= newBatch();
    open.changes.set(name, text);
    timer ??= setTimeout(closeBatch, batchMs);
    return open.done;
  }

  const keys: AuthenticationState['keys'] = {
    async get<T extends KeyType>(type: T, ids: string[]) {
      const result: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        let value = cache.get(keyEntryName(type, id));
        if (value === null || value === undefined) continue;
        if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
        result[id] = value as SignalDataTypeMap[T];
      }
      return result;
    },
    async set(data: SignalDataSet) {
      let pending: Promise<void> | null = null;
      for (const [type, values] of Object.entries(data)) {
        for (const [id, value] of Object.entries(values ?? {})) {
          const name = keyEntryName(type, id);
          cache.set(name, value ?? null);
          pending = change(name, value === null || value === undefined ? null : serialise(value));
        }
      }
      if (pending !== null) await pending;
    },
  };

  return {
    async load() {
      // A reconnect reloads: what the previous socket changed must be stored first (pairing ends with
      // `creds.update` then a restart, and the restarted socket must see the account).
      closeBatch();
      await writing;
      wiped = false;
      cache.clear();
      const entries = await store.read(instanceId);
      for (const [name, text] of entries) if (name !== CREDS_ENTRY) cache.set(name, deserialise(text));
      const stored = entries.get(CREDS_ENTRY);
      creds = stored === undefined ? initAuthCreds() : (deserialise(stored) as AuthenticationCreds);
      return { creds, keys };
    },
    saveCreds() {
      if (creds === null || wiped) return Promise.resolve();
      return change(CREDS_ENTRY, serialise(creds));
    },
    async flush() {
      closeBatch();
      await writing;
    },
    async wipe() {
      wiped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      open?.resolve();
      open = null;
      cache.clear();
      creds = null;
      await writing;
      await store.wipe(instanceId);
    },
  };
}
