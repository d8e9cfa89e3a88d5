import { DELETED_STATUS, type Instance, type InstanceRepository, type InstanceStatus, type InstanceStatusChange } from '../instances/index.js';
import { DomainError } from '../shared/index.js';
import { pageOf, type InMemoryState } from './in-memory-state.js';
import { fenceAllows } from './in-memory-session-lease-repository.js';
import { storeAuditEvent } from './in-memory-audit-log.js';
import { fanOut } from './in-memory-webhook-delivery-repository.js';

const PAIRED: readonly InstanceStatus[] = ['connected', 'reconnecting'];

export function createInMemoryInstanceRepository(state: InMemoryState): InstanceRepository {
  const rows = state.instances;
  const live = (customerId: string, id: string): Instance | null => {
    const instance = rows.get(id);
    return instance !== undefined && instance.customerId === customerId && instance.deletedAt === null
      ? instance
      : null;
  };

  /** Stores the instance with the change applied (the phone number only when the change names one). */
  const moved = (instance: Instance, change: InstanceStatusChange): Instance => {
    const updated: Instance = {
      ...instance,
      status: change.status,
      statusReason: change.statusReason,
      phoneNumber: change.phoneNumber === undefined ? instance.phoneNumber : change.phoneNumber,
      updatedAt: change.at,
    };
    rows.set(updated.id, updated);
    return updated;
  };

  return {
    async create(instance) {
      const taken = [...rows.values()].some(
        (row) => row.customerId === instance.customerId && row.name === instance.name && row.deletedAt === null,
      );
      if (taken || rows.has(instance.id)) {
        throw new DomainError('conflict', `An instance named "${instance.name}" already exists.`, {
          field: 'name',
        });
      }
      const stored: Instance = { ...instance, metadata: structuredClone(instance.metadata) };
      rows.set(stored.id, stored);
      return stored;
    },
    async findById(customerId, id) {
      return live(customerId, id);
    },
    async list(customerId, page, filter = {}) {
      const instances = [...rows.values()].filter(
        (row) =>
          row.customerId === customerId &&
          row.deletedAt === null &&
          (filter.onlyId === undefined || row.id === filter.onlyId),
      );
      return pageOf(instances, page);
    },
    async updateStatus(customerId, id, from, change, fence) {
      if (!fenceAllows(state, fence)) return null;
      const instance = live(customerId, id);
      if (instance === null || !from.includes(instance.status)) return null;
      return moved(instance, change);
    },
    async transition(customerId, id, write, fence) {
      if (!fenceAllows(state, fence)) return null;
      const current = live(customerId, id);
      if (current === null) return null;
      const previous = current.status;
      const target = write.whilePaired !== undefined && PAIRED.includes(previous) ? write.whilePaired : write;
      if (!target.from.includes(previous)) return null;
      const instance = moved(current, { ...write, status: target.to });
      if (previous !== target.to) {
        storeAuditEvent(
          state,
          {
            customerId,
            actor: write.actor,
            action: 'instance.status_changed',
            targetType: 'instance',
            targetId: id,
            instanceId: id,
            data: { from: previous, to: target.to, reason: write.statusReason },
          },
          write.at,
        );
      }
      const event = write.event ?? null;
      const due = event !== null && target.to === write.to && !(event.onlyIfChanged && previous === write.to);
      return { instance, previous, eventWritten: due, deliveries: due ? fanOut(state, event.prepared.fanOut) : [] };
    },
    async softDelete(customerId, id, at) {
      const instance = live(customerId, id);
      if (instance === null) return null;
      const deleted: Instance = { ...instance, ...DELETED_STATUS, deletedAt: at, updatedAt: at };
      rows.set(id, deleted);
      return deleted;
    },
    async countByStatus() {
      const counts: Partial<Record<InstanceStatus, number>> = {};
      for (const row of rows.values()) if (row.deletedAt === null) counts[row.status] = (counts[row.status] ?? 0) + 1;
      return counts;
    },
    async listByStatus(statuses) {
      return [...rows.values()]
        .filter((row) => row.deletedAt === null && statuses.includes(row.status))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    },
  };
}
