import type { Customer, CustomerRepository } from '../tenancy/index.js';
import { DomainError } from '../shared/index.js';
import type { InMemoryState } from './in-memory-state.js';

export function createInMemoryCustomerRepository(state: InMemoryState): CustomerRepository {
  const rows = state.customers;
  return {
    async create(customer) {
      if (rows.has(customer.id)) throw new DomainError('conflict', 'A customer with this id exists.');
      const stored: Customer = { ...customer };
      rows.set(stored.id, stored);
      return stored;
    },
    async findById(id) {
      return rows.get(id) ?? null;
    },
    async list() {
      return [...rows.values()].sort((a, b) => (a.id < b.id ? 1 : -1));
    },
    async any() {
      return rows.size > 0;
    },
  };
}
