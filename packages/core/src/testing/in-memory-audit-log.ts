import { systemClock, newId, type Clock, type AuditEvent, type AuditLog } from '../shared/index.js';
import { pageOf, type InMemoryState } from './in-memory-state.js';

export function createInMemoryAuditLog(state: InMemoryState, clock: Clock = systemClock): AuditLog {
  const rows = state.audit;
  return {
    async append(event) {
      const occurredAt = event.occurredAt ?? clock.now();
      const stored: AuditEvent = {
        ...event,
        id: newId('audit', occurredAt.getTime()),
        data: structuredClone(event.data),
        occurredAt,
      };
      rows.set(stored.id, stored);
      return stored;
    },
    async list(customerId, page, filter = {}) {
      const events = [...rows.values()].filter(
        (row) =>
          row.customerId === customerId && (filter.instanceId === undefined || row.instanceId === filter.instanceId),
      );
      return pageOf(events, page);
    },
  };
}
