import {
  RESUMABLE_STATUSES,
  holdsFence,
  isHeld,
  type FenceCheck,
  type SessionLease,
  type SessionLeaseRepository,
  type StoredLease,
} from '../cluster/index.js';
import type { Instance } from '../instances/index.js';
import type { InMemoryState } from './in-memory-state.js';

/**
 * Whether a write carrying `check` may happen: no fence, or its lease held in the in-memory state. The
 * in-memory repositories whose writes take a fence (messages, instances) consult the lease table through
 * this, as the Postgres adapters read the lease row in the write's own statement.
 */
export function fenceAllows(state: InMemoryState, check: FenceCheck | null | undefined): boolean {
  if (check == null) return true;
  return holdsFence((state.sessionLeases as Map<string, StoredLease>).get(check.fence.instanceId) ?? null, check);
}

/**
 * Session leases in the in-memory state. Transactions of the in-memory unit of work run one at a time, so
 * `holds` needs no lock to keep a takeover out until commit.
 */
export function createInMemorySessionLeaseRepository(state: InMemoryState): SessionLeaseRepository {
  const rows = state.sessionLeases as Map<string, StoredLease>;
  const granted = (lease: StoredLease): SessionLease => ({ ...lease, nodeId: lease.nodeId! });

  return {
    async acquire(instanceId, nodeId, { at, until }) {
      const current = rows.get(instanceId) ?? null;
      if (isHeld(current, at) && current.nodeId !== nodeId) return null;
      const renewal = isHeld(current, at);
      const lease: StoredLease = { instanceId, nodeId, epoch: (current?.epoch ?? 0) + (renewal ? 0 : 1), expiresAt: until };
      rows.set(instanceId, lease);
      return granted(lease);
    },
    async renewAll(nodeId, { at, until }) {
      const renewed: SessionLease[] = [];
      for (const lease of [...rows.values()].sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1))) {
        if (lease.nodeId !== nodeId || !isHeld(lease, at)) continue;
        const next = { ...lease, expiresAt: until };
        rows.set(lease.instanceId, next);
        renewed.push(granted(next));
      }
      return renewed;
    },
    async release(fence, at) {
      const lease = rows.get(fence.instanceId);
      if (lease === undefined || lease.nodeId !== fence.nodeId || lease.epoch !== fence.epoch) return false;
      rows.set(fence.instanceId, { ...lease, nodeId: null, expiresAt: at });
      return true;
    },
    async releaseAll(nodeId, at) {
      let released = 0;
      for (const lease of rows.values()) {
        if (lease.nodeId !== nodeId) continue;
        rows.set(lease.instanceId, { ...lease, nodeId: null, expiresAt: at });
        released += 1;
      }
      return released;
    },
    async holds(fence, at) {
      return holdsFence(rows.get(fence.instanceId) ?? null, { fence, at });
    },
    async find(instanceId) {
      return rows.get(instanceId) ?? null;
    },
    async listCandidates(at) {
      const resumable: readonly string[] = RESUMABLE_STATUSES;
      return [...(state.instances as Map<string, Instance>).values()]
        .filter((instance) => instance.deletedAt === null)
        .map((instance) => ({ instance, lease: rows.get(instance.id) ?? null }))
        .filter(({ instance, lease }) => resumable.includes(instance.status) || isHeld(lease, at))
        .sort((a, b) => (a.instance.id < b.instance.id ? -1 : 1));
    },
  };
}
