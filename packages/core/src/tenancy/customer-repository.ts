import type { Customer } from './customer.js';

/** Customers are created by the operator (CLI); there is no HTTP path to them. */
export interface CustomerRepository {
  /** Inserts the customer. Throws `DomainError('conflict')` if the id exists. */
  create(customer: Customer): Promise<Customer>;
  /** The customer, or null when absent. */
  findById(id: string): Promise<Customer | null>;
  /** Every customer, newest first. */
  list(): Promise<Customer[]>;
  /** Whether any customer exists (first-start bootstrap in development). */
  any(): Promise<boolean>;
}
