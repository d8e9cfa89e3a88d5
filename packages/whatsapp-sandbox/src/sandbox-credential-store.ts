/*
 * Where the sandbox remembers which instances are paired: its only "credentials". A paired sandbox
 * instance needs nothing else to resume (its phone number is derived from its id), so the store holds
 * instance ids only. Two implementations ship here: an in-memory one (tests, one process) and one that
 * reads the instances table (production): a sandbox instance whose row says it is connected or reconnecting
 * was paired and not logged out, because logout and deletion move the row out of those statuses in the
 * same transaction that records them (`connecting` is left out: a row keeps its old phone number while a
 * logged-out instance pairs again). So a restarted server resumes its sandbox instances connected, without a QR, and without any file under DATA_DIR.
 */
import type { Instance, InstanceRepository, InstanceStatus } from '@whatisup/core';

const PAIRED: readonly InstanceStatus[] = ['connected', 'reconnecting'];

export interface SandboxCredentialStore {
  /** Ids of every paired sandbox instance; empty when none. */
  list(): Promise<string[]>;
  /**
   * Whether this one instance is paired, without listing every pairing (a session connecting asks this; a
   * restart connects every instance, and listing them all for each would be quadratic).
   */
  has(customerId: string, instanceId: string): Promise<boolean>;
  /** Remembers that the instance is paired. Idempotent. */
  save(instanceId: string): Promise<void>;
  /** Forgets the pairing (logout, deletion). A no-op when the instance was not paired. */
  remove(instanceId: string): Promise<void>;
  /** True when every process reads the same pairings (the instances table); false for one process's memory. */
  readonly shared: boolean;
}

export function createInMemorySandboxCredentialStore(initial: Iterable<string> = []): SandboxCredentialStore {
  const paired = new Set(initial);
  return {
    list: async () => [...paired],
    has: async (_customerId, instanceId) => paired.has(instanceId),
    save: async (instanceId) => void paired.add(instanceId),
    remove: async (instanceId) => void paired.delete(instanceId),
    shared: false,
  };
}

/** Reads pairings from instance rows; `save`/`remove` are no-ops because status transitions persist them. */
export function createInstanceRowSandboxCredentialStore(deps: {
  readonly instances: InstanceRepository;
}): SandboxCredentialStore {
  const pairedRow = (row: Instance) => row.kind === 'sandbox' && row.phoneNumber !== null && PAIRED.includes(row.status);
  return {
    async list() {
      const rows = await deps.instances.listByStatus(PAIRED);
      return rows.filter(pairedRow).map((row) => row.id);
    },
    async has(customerId, instanceId) {
      const row = await deps.instances.findById(customerId, instanceId);
      return row !== null && pairedRow(row);
    },
    save: async () => undefined,
    remove: async () => undefined,
    shared: true,
  };
}
