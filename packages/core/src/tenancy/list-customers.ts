import { assertOperator, CLI_ACTOR, type Actor, type UnitOfWork } from '../shared/index.js';
import type { Customer } from './customer.js';
import type { TenancyRepositories } from './tenancy-repositories.js';

export interface ListCustomersDeps {
  readonly uow: UnitOfWork<TenancyRepositories>;
}

/** Nothing to filter on yet; an object so filters can be added without changing callers. */
export type ListCustomersInput = Record<string, never>;

export type ListCustomers = (input?: ListCustomersInput, actor?: Actor) => Promise<Customer[]>;

/** Operator only (an API key actor gets `forbidden`): every customer, newest first. Not audited (a read). */
export function createListCustomers({ uow }: ListCustomersDeps): ListCustomers {
  return async (_input = {}, actor = CLI_ACTOR) => {
    assertOperator(actor);
    return uow.repos.customers.list();
  };
}
