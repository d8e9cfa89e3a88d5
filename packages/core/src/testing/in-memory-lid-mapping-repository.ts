/* LID mappings in memory, with the Postgres adapter's semantics: first mapping of a LID per customer wins. */
import type { LidMapping, LidMappingRepository } from '../contacts/index.js';
import type { InMemoryState } from './in-memory-state.js';

export function createInMemoryLidMappingRepository(state: InMemoryState): LidMappingRepository {
  const rows = state['contactLids'] as Map<string, LidMapping & { readonly customerId: string }>;
  const key = (customerId: string, lid: string) => `${customerId} ${lid}`;
  return {
    async record(customerId, mapping) {
      if (rows.has(key(customerId, mapping.lid))) return false;
      rows.set(key(customerId, mapping.lid), { ...mapping, customerId });
      return true;
    },
    async phoneNumberOf(customerId, lid) {
      return rows.get(key(customerId, lid))?.phoneNumber ?? null;
    },
    async lidOf(customerId, phoneNumber) {
      const found = [...rows.values()]
        .filter((row) => row.customerId === customerId && row.phoneNumber === phoneNumber)
        .sort((a, b) => a.learnedAt.getTime() - b.learnedAt.getTime());
      return found[0]?.lid ?? null;
    },
  };
}
