/* Group creation idempotency keys in memory, with the Postgres adapter's semantics (see group-creation-repository.ts). */
import type { GroupCreationRecord, GroupCreationRepository } from '../groups/index.js';
import type { InMemoryState } from './in-memory-state.js';

export function createInMemoryGroupCreationRepository(state: InMemoryState): GroupCreationRepository {
  const rows = state['groupCreations'] as Map<string, GroupCreationRecord>;
  const key = (customerId: string, idempotencyKey: string) => `${customerId} ${idempotencyKey}`;
  return {
    async claim(record) {
      const existing = rows.get(key(record.customerId, record.idempotencyKey));
      if (existing !== undefined && !(existing.status === 'pending' && existing.expiresAt.getTime() <= record.createdAt.getTime())) {
        return { outcome: 'existing', record: existing };
      }
      rows.set(key(record.customerId, record.idempotencyKey), { ...record, status: 'pending', response: null });
      return { outcome: 'claimed' };
    },
    async complete(customerId, idempotencyKey, response) {
      const existing = rows.get(key(customerId, idempotencyKey));
      if (existing !== undefined) rows.set(key(customerId, idempotencyKey), { ...existing, status: 'done', response });
    },
    async release(customerId, idempotencyKey) {
      if (rows.get(key(customerId, idempotencyKey))?.status === 'pending') rows.delete(key(customerId, idempotencyKey));
    },
  };
}
