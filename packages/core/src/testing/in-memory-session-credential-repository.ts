import { isHeld, type StoredLease } from '../cluster/index.js';
import type { SessionCredentialRepository, StoredCredential } from '../credentials/index.js';
import { createInMemoryState, type InMemoryState } from './in-memory-state.js';

/**
 * Credentials in a Map keyed `<instance>\u0000<name>`; fenced writes check the leases of the same state (pass
 * the unit of work's state to share them).
 */
export function createInMemorySessionCredentialRepository(state: InMemoryState = createInMemoryState()): SessionCredentialRepository {
  const rows = new Map<string, StoredCredential>();
  const key = (instanceId: string, name: string) => `${instanceId}\u0000${name}`;
  const ordered = () => [...rows.values()].sort((a, b) => (key(a.instanceId, a.name) < key(b.instanceId, b.name) ? -1 : 1));
  return {
    async list(instanceId) {
      return ordered().filter((row) => row.instanceId === instanceId);
    },
    async find(instanceId, name) {
      return rows.get(key(instanceId, name)) ?? null;
    },
    async write(instanceId, changes, fence, at) {
      if (fence !== null) {
        const lease = (state.sessionLeases as Map<string, StoredLease>).get(fence.instanceId) ?? null;
        if (!isHeld(lease, at) || lease.nodeId !== fence.nodeId || lease.epoch !== fence.epoch) return false;
      }
      for (const { name, sealed } of changes) {
        if (sealed === null) rows.delete(key(instanceId, name));
        else rows.set(key(instanceId, name), { instanceId, name, sealed });
      }
      return true;
    },
    async wipe(instanceId) {
      for (const row of [...rows.values()]) if (row.instanceId === instanceId) rows.delete(key(row.instanceId, row.name));
    },
    async instancesWith(name) {
      return [...new Set(ordered().filter((row) => row.name === name).map((row) => row.instanceId))];
    },
    async listAll(after, limit) {
      const from = after === null ? null : key(after.instanceId, after.name);
      return ordered()
        .filter((row) => from === null || key(row.instanceId, row.name) > from)
        .slice(0, limit);
    },
    async replace(entry, sealed) {
      const current = rows.get(key(entry.instanceId, entry.name));
      if (current === undefined || current.sealed.ciphertext !== entry.sealed.ciphertext || current.sealed.keyId !== entry.sealed.keyId) return false;
      rows.set(key(entry.instanceId, entry.name), { ...entry, sealed });
      return true;
    },
  };
}
