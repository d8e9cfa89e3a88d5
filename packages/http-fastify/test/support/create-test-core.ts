/*
 * What every test app shares: core's in-memory adapters, the real tenant use cases over them, the API key
 * authenticator (no cache, so a revoked key fails at once), the in-process event bus, and tenants made
 * through the operator path, as the CLI makes them.
 */
import {
  CLI_ACTOR,
  createApiKeyAuthenticator,
  createInProcessEventBus,
  createTenancyUseCases,
  type ApiKeyAuthenticator,
  type Clock,
  type InProcessEventBus,
} from '@whatisup/core';
import { createInMemoryUnitOfWork, type InMemoryUnitOfWork } from '@whatisup/core/testing';
import type { HttpUseCases } from '../../src/index.js';

const PEPPER = 'test-pepper-0123456789abcdef0123456789';

/** A customer's key as a test holds it: the customer, the full secret and its bearer header. */
export interface Tenant {
  readonly customerId: string;
  readonly key: string;
  readonly auth: { authorization: string };
}

export interface TestCore<C extends Clock = Clock> {
  readonly clock: C;
  readonly uow: InMemoryUnitOfWork;
  readonly bus: InProcessEventBus;
  readonly authenticator: ApiKeyAuthenticator;
  readonly useCases: HttpUseCases;
  /** Creates a customer with one unbound key. */
  readonly newCustomer: (name?: string) => Promise<Tenant>;
  /** Creates another key for `customerId`, bound to `instanceId` when given. */
  readonly newKey: (customerId: string, instanceId?: string | null) => Promise<Tenant>;
}

export function createTestCore<C extends Clock>(deps: { readonly clock: C; readonly busCapacity?: number | undefined }): TestCore<C> {
  const { clock } = deps;
  const uow = createInMemoryUnitOfWork({ clock });
  const authenticator = createApiKeyAuthenticator({ repos: uow.repos, clock, pepper: PEPPER, cacheTtlMs: 0 });
  const tenancy = createTenancyUseCases({ uow, clock, pepper: PEPPER, onKeyRevoked: (id) => authenticator.invalidate(id) });
  const { createApiKey, createCustomer } = tenancy;
  const newKey = async (customerId: string, instanceId: string | null = null): Promise<Tenant> => {
    const { key } = await createApiKey({ customerId, instanceId }, CLI_ACTOR);
    return { customerId, key, auth: { authorization: `Bearer ${key}` } };
  };
  return {
    clock,
    uow,
    bus: createInProcessEventBus(deps.busCapacity === undefined ? {} : { capacity: deps.busCapacity }),
    authenticator,
    useCases: tenancy,
    newCustomer: async (name = 'Acme') => newKey((await createCustomer({ name }, CLI_ACTOR)).id),
    newKey,
  };
}
