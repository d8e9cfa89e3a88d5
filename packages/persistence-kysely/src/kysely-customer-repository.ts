import type { Customer, CustomerRepository } from '@whatisup/core';
import type { Kysely, Selectable } from 'kysely';
import type { CustomersTable, Database } from './database.js';
import { withDatabaseErrors } from './translate-database-error.js';

/** Customers are not tenant-owned rows: they are the tenants. Only the operator's CLI reaches them. */
export function createKyselyCustomerRepository(db: Kysely<Database>): CustomerRepository {
  return withDatabaseErrors<CustomerRepository>({
    async create(customer) {
      const row = await db
        .insertInto('customers')
        .values({ id: customer.id, name: customer.name, created_at: customer.createdAt })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCustomer(row);
    },
    async findById(id) {
      const row = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toCustomer(row) : null;
    },
    async list() {
      const rows = await db.selectFrom('customers').selectAll().orderBy('id', 'desc').execute();
      return rows.map(toCustomer);
    },
    async any() {
      const row = await db.selectFrom('customers').select('id').limit(1).executeTakeFirst();
      return row !== undefined;
    },
  });
}

function toCustomer(row: Selectable<CustomersTable>): Customer {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}
