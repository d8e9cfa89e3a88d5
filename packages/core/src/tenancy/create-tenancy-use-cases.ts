/*
 * The tenancy and instance use cases wired once, for the server and for every test harness, so a new use case
 * or dependency is added in one place.
 */
import {
  createCreateInstance,
  createDeleteInstance,
  createGetInstance,
  createListInstances,
  type InstanceSessionStopper,
} from '../instances/index.js';
import type { Clock, UnitOfWork } from '../shared/index.js';
import { createCreateApiKey } from './create-api-key.js';
import { createCreateCustomer } from './create-customer.js';
import { createListApiKeys } from './list-api-keys.js';
import { createListAuditEvents } from './list-audit-events.js';
import { createListCustomers } from './list-customers.js';
import { createRevokeApiKey } from './revoke-api-key.js';
import type { TenancyRepositories } from './tenancy-repositories.js';

export interface TenancyUseCasesDeps {
  readonly uow: UnitOfWork<TenancyRepositories>;
  readonly clock: Clock;
  /** The API key pepper: keys are stored as HMAC-SHA256(pepper, prefix|secret). */
  readonly pepper: string;
  /** Called after commit for every key revoked, directly or with its instance (e.g. `authenticator.invalidate`). */
  readonly onKeyRevoked?: ((keyId: string) => void) | undefined;
  /** Stops an instance's session when it is deleted; absent where no session runs. */
  readonly sessions?: InstanceSessionStopper | undefined;
}

export function createTenancyUseCases({ uow, clock, pepper, onKeyRevoked, sessions }: TenancyUseCasesDeps) {
  return {
    createCustomer: createCreateCustomer({ uow, clock }),
    listCustomers: createListCustomers({ uow }),
    createApiKey: createCreateApiKey({ uow, clock, pepper }),
    listApiKeys: createListApiKeys({ uow }),
    revokeApiKey: createRevokeApiKey({ uow, clock, onRevoked: onKeyRevoked }),
    createInstance: createCreateInstance({ uow, clock }),
    listInstances: createListInstances({ uow }),
    getInstance: createGetInstance({ uow }),
    deleteInstance: createDeleteInstance({ uow, clock, onKeyRevoked, sessions }),
    listAuditEvents: createListAuditEvents({ uow }),
  };
}

export type TenancyUseCases = ReturnType<typeof createTenancyUseCases>;
