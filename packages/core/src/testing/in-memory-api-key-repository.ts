import type { ApiKey, StoredApiKey, ApiKeyRepository } from '../tenancy/index.js';
import { DomainError } from '../shared/index.js';
import { pageOf, withoutHash, type InMemoryState } from './in-memory-state.js';

export function createInMemoryApiKeyRepository(state: InMemoryState): ApiKeyRepository {
  const rows = state.apiKeys;
  const owned = (customerId: string, id: string): StoredApiKey | null => {
    const key = rows.get(id);
    return key !== undefined && key.customerId === customerId ? key : null;
  };

  return {
    async create(key) {
      if (rows.has(key.id) || [...rows.values()].some((row) => row.prefix === key.prefix)) {
        throw new DomainError('conflict', 'An API key with this id or prefix exists.');
      }
      const parent = key.parentKeyId === null ? null : rows.get(key.parentKeyId);
      if (parent !== null && (parent === undefined || parent.revokedAt !== null)) {
        throw new DomainError('forbidden', 'The key creating this key has been revoked.');
      }
      const stored: StoredApiKey = { ...key, secretHash: Buffer.from(key.secretHash) };
      rows.set(stored.id, stored);
      return withoutHash(stored);
    },
    async findByPrefix(prefix) {
      return [...rows.values()].find((row) => row.prefix === prefix) ?? null;
    },
    async findById(customerId, id) {
      const key = owned(customerId, id);
      return key === null ? null : withoutHash(key);
    },
    async list(customerId, page, filter = {}) {
      const keys = [...rows.values()].filter(
        (row) =>
          row.customerId === customerId && (filter.instanceId === undefined || row.instanceId === filter.instanceId),
      );
      const result = pageOf(keys, page);
      return { data: result.data.map(withoutHash), nextCursor: result.nextCursor };
    },
    async revoke(customerId, id, at) {
      const key = owned(customerId, id);
      if (key === null) return null;
      const revoked = key.revokedAt === null ? { ...key, revokedAt: at } : key;
      rows.set(id, revoked);
      return withoutHash(revoked);
    },
    async revokeDescendants(customerId, id, at) {
      const revoked: ApiKey[] = [];
      let parents = owned(customerId, id) === null ? [] : [id];
      while (parents.length > 0) {
        const children = [...rows.values()].filter((row) => row.parentKeyId !== null && parents.includes(row.parentKeyId));
        for (const child of children.filter((row) => row.revokedAt === null)) {
          const updated = { ...child, revokedAt: at };
          rows.set(child.id, updated);
          revoked.push(withoutHash(updated));
        }
        parents = children.map((row) => row.id);
      }
      return revoked;
    },
    async revokeForInstance(customerId, instanceId, at) {
      const ids: string[] = [];
      for (const key of rows.values()) {
        if (key.customerId === customerId && key.instanceId === instanceId && key.revokedAt === null) {
          rows.set(key.id, { ...key, revokedAt: at });
          ids.push(key.id);
        }
      }
      return ids;
    },
    async touch(lastUsed) {
      for (const [id, at] of lastUsed) {
        const key = rows.get(id);
        if (key !== undefined && (key.lastUsedAt === null || key.lastUsedAt < at)) {
          rows.set(id, { ...key, lastUsedAt: at });
        }
      }
    },
  };
}
