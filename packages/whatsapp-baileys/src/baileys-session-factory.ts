/*
 * The Baileys implementation of the WhatsApp session factory port: sessions for real phones, with their
 * credentials under `<dataDir>/sessions/<instanceId>/`, or, given a `credentials` store, in Postgres where
 * every node reads them (see database-auth-store.ts). Instance ids are checked against a strict pattern
 * before they become a path, so no id can reach outside the sessions directory.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '@whatisup/core';
import type { SentMessageLookup, SessionCredentialStore, WhatsAppSessionFactory } from '@whatisup/core';
import { CREDS_ENTRY, createDatabaseAuthStore, isPairedCreds } from './database-auth-store.js';
import type { Logger } from 'pino';
import { createBaileysSession } from './baileys-session.js';
import { DEFAULT_SESSION_TUNING, type SessionTuning } from './baileys-session-options.js';
import { makeBaileysSocket, type BaileysSocketFactory } from './baileys-socket.js';
import { createFileAuthStore, readStoredCreds, wipeDirectory } from './file-auth-store.js';
import { DIR_MODE } from './write-file-atomic.js';

export interface BaileysSessionFactoryDeps {
  /** DATA_DIR: credentials live in `<dataDir>/sessions/<instanceId>/`. */
  readonly dataDir: string;
  readonly logger: Logger;
  /** Defaults to Baileys' makeWASocket; tests pass a fake. */
  readonly socketFactory?: BaileysSocketFactory;
  readonly tuning?: Partial<SessionTuning>;
  readonly random?: () => number;
  readonly now?: () => Date;
  /** The instances' sent messages: votes on a poll are read with its options from there after a restart. */
  readonly sentMessages?: SentMessageLookup;
  /** Keep credentials in this shared store instead of files under `dataDir`. */
  readonly credentials?: {
    readonly store: SessionCredentialStore;
    /** Told the size of every batch of credential writes (entries). */
    readonly onBatch?: (entries: number) => void;
  };
}

const INSTANCE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function createBaileysSessionFactory(deps: BaileysSessionFactoryDeps): WhatsAppSessionFactory {
  const sessionsDir = join(deps.dataDir, 'sessions');
  const tuning: SessionTuning = { ...DEFAULT_SESSION_TUNING, ...deps.tuning };
  const socketFactory = deps.socketFactory ?? makeBaileysSocket;

  const dirOf = (instanceId: string): string => {
    if (!INSTANCE_ID.test(instanceId)) throw new DomainError('invalid_input', 'Malformed instance id.', { instanceId });
    return join(sessionsDir, instanceId);
  };

  async function hasCredentials(instanceId: string): Promise<boolean> {
    try {
      const creds = await readStoredCreds(dirOf(instanceId));
      return Boolean(creds?.me?.id); // set once paired; fresh, unpaired creds cannot resume
    } catch (error) {
      deps.logger.warn({ err: error, instance_id: instanceId }, 'unreadable WhatsApp credentials');
      return false;
    }
  }

  const pollOptionsOf = (instanceId: string) => {
    const lookup = deps.sentMessages;
    if (lookup === undefined) return {};
    return { pollOptions: async (whatsappId: string) => (await lookup.byWhatsappId(instanceId, whatsappId))?.poll?.options ?? null };
  };

  const shared = deps.credentials;
  if (shared !== undefined) return createSharedFactory(shared);

  function createSharedFactory(credentials: NonNullable<BaileysSessionFactoryDeps['credentials']>): WhatsAppSessionFactory {
    const { store } = credentials;
    const paired = async (instanceId: string): Promise<boolean> => {
      try {
        return isPairedCreds(await store.readOne(instanceId, CREDS_ENTRY));
      } catch (error) {
        deps.logger.warn({ err: error, instance_id: instanceId }, 'unreadable WhatsApp credentials');
        return false;
      }
    };
    return {
      createSession({ instanceId, listener }) {
        dirOf(instanceId);
        return createBaileysSession({
          instanceId,
          listener,
          authStore: createDatabaseAuthStore({ instanceId, store, ...(credentials.onBatch && { onBatch: credentials.onBatch }) }),
          socketFactory,
          logger: deps.logger,
          tuning,
          ...(deps.random ? { random: deps.random } : {}),
          ...(deps.now ? { now: deps.now } : {}),
          ...pollOptionsOf(instanceId),
        });
      },
      hasCredentials: paired,
      async listInstancesWithCredentials() {
        const ids = await store.instancesWith(CREDS_ENTRY);
        const found = await Promise.all(ids.map(async (id) => ((await paired(id)) ? id : null)));
        return found.filter((id): id is string => id !== null);
      },
      wipeCredentials: (instanceId) => store.wipe(instanceId),
      sharesCredentials: true,
    };
  }

  return {
    createSession({ instanceId, listener }) {
      const dir = dirOf(instanceId);
      return createBaileysSession({
        instanceId,
        listener,
        authStore: createFileAuthStore({ dir }),
        socketFactory,
        logger: deps.logger,
        tuning,
        ...(deps.random ? { random: deps.random } : {}),
        ...(deps.now ? { now: deps.now } : {}),
        ...pollOptionsOf(instanceId),
      });
    },
    hasCredentials,
    async listInstancesWithCredentials() {
      await mkdir(sessionsDir, { recursive: true, mode: DIR_MODE });
      const names = (await readdir(sessionsDir)).filter((name) => INSTANCE_ID.test(name));
      const found = await Promise.all(names.map(async (name) => ((await hasCredentials(name)) ? name : null)));
      return found.filter((name): name is string => name !== null).sort();
    },
    async wipeCredentials(instanceId) {
      await wipeDirectory(dirOf(instanceId));
    },
  };
}
