import { DomainError, newId, assertOperator, type Clock, type Actor, type UnitOfWork } from '../shared/index.js';
import type { Customer } from './customer.js';
import type { TenancyRepositories } from './tenancy-repositories.js';

export interface CreateCustomerDeps {
  readonly uow: UnitOfWork<TenancyRepositories>;
  readonly clock: Clock;
}

export interface CreateCustomerInput {
  /** 1-200 characters after trimming. */
  readonly name: string;
}

export type CreateCustomer = (input: CreateCustomerInput, actor: Actor) => Promise<Customer>;

/** Operator only (CLI, first-start bootstrap): an API key actor gets `forbidden`. Audited as `customer.created`. */
export function createCreateCustomer({ uow, clock }: CreateCustomerDeps): CreateCustomer {
  return async (input, actor) => {
    assertOperator(actor);
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200) {
      throw new DomainError('invalid_input', 'name must be 1 to 200 characters.', { field: 'name' });
    }
    const now = clock.now();
    const customer: Customer = { id: newId('customer', now.getTime()), name, createdAt: now };
    return uow.transaction(async (repos) => {
      const created = await repos.customers.create(customer);
      await repos.audit.append({
        customerId: created.id,
        actor,
        action: 'customer.created',
        targetType: 'customer',
        targetId: created.id,
        instanceId: null,
        data: { name: created.name },
        occurredAt: now,
      });
      return created;
    });
  };
}
