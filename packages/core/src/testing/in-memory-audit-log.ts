import { systemClock, newId, type Clock, type AuditEvent, type AuditLog, type NewAuditEvent } from '../shared/index.js';
import { pageOf, type InMemoryState } from './in-memory-state.js';

/** Stores an audit event as `append` does (also for repositories that write one with their own rows). */
export function storeAuditEvent(state: InMemoryState, event: NewAuditEvent, occurredAt: Date): AuditEvent {
  const stored: AuditEvent = { ...event, id: newId('audit', occurredAt.getTime()), data: structuredClone(event.data), occurredAt };
  state.audit.set(stored.id, stored);
  return stored;
}

export function createInMemoryAuditLog(state: InMemoryState, clock: Clock = systemClock): AuditLog {
  const rows = state.audit;
  return {
    async append(event) {
      return storeAuditEvent(state, event, event.occurredAt ?? clock.now());
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
