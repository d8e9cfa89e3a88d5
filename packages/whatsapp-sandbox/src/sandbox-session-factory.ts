/*
 * Makes sandbox sessions and answers for their "credentials" (which instances are paired). The pairing
 * set is loaded from the store once, then kept in memory and written through, so `connect()` needs no
 * I/O after the first call.
 */
import { systemClock, type Clock, type SandboxSessionFactory } from '@whatisup/core';
import type { SandboxMessageSource } from './replay-owed-receipts.js';
import { createInMemorySandboxCredentialStore, type SandboxCredentialStore } from './sandbox-credential-store.js';
import { createSandboxSession, type SandboxTimings } from './sandbox-session.js';

export const DEFAULT_SANDBOX_TIMINGS: SandboxTimings = { autoScanMs: 3_000, resumeDelayMs: 100, receiptDelayMs: 250 };

export interface SandboxSessionFactoryDeps {
  /** Defaults to an in-memory store: pairings are then forgotten when the process ends. */
  readonly credentials?: SandboxCredentialStore;
  readonly timings?: Partial<SandboxTimings>;
  /**
   * The messages table (the message repository in production). When given, a session that connects
   * completes the receipts of its messages still `sent` or `delivered`, so a crash or restart loses none.
   */
  readonly messages?: SandboxMessageSource;
  readonly clock?: Clock;
}

export function createSandboxSessionFactory(deps: SandboxSessionFactoryDeps = {}): SandboxSessionFactory {
  const timings = { ...DEFAULT_SANDBOX_TIMINGS, ...deps.timings };
  const clock = deps.clock ?? systemClock;
  const store = deps.credentials ?? createInMemorySandboxCredentialStore();
  let loaded: Promise<Set<string>> | null = null;
  const paired = () => (loaded ??= store.list().then((ids) => new Set(ids)));
  // A shared store is read again before every answer: other nodes pair and log out instances too. (The
  // instance-row store is shared: its pairings are the rows, which logout and deletion change themselves.)
  const current = () => {
    if (store.shared) loaded = null;
    return paired();
  };

  const credentials: SandboxCredentialStore = {
    list: async () => [...(await current())],
    // A shared store is asked (its rows are the pairings); this process's own store answers from the set.
    has: async (customerId, instanceId) => (store.shared ? store.has(customerId, instanceId) : (await paired()).has(instanceId)),
    save: async (instanceId) => {
      (await paired()).add(instanceId);
      await store.save(instanceId);
    },
    remove: async (instanceId) => {
      (await paired()).delete(instanceId);
      await store.remove(instanceId);
    },
    shared: store.shared,
  };

  return {
    createSession: ({ instanceId, customerId, listener }) =>
      createSandboxSession({
        instanceId,
        listener,
        credentials,
        isPaired: async () => (customerId === undefined ? (await current()).has(instanceId) : credentials.has(customerId, instanceId)),
        timings,
        clock,
        ...(deps.messages === undefined ? {} : { messages: deps.messages }),
      }),
    hasCredentials: async (instanceId) => (await current()).has(instanceId),
    listInstancesWithCredentials: () => credentials.list(),
    wipeCredentials: (instanceId) => credentials.remove(instanceId),
    sharesCredentials: credentials.shared,
  };
}
