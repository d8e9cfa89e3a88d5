import { toPageRequest, type Principal, type Page, type UnitOfWork, type PageInput } from '../shared/index.js';
import type { ApiKey } from './api-key.js';
import type { TenancyRepositories } from './tenancy-repositories.js';

export interface ListApiKeysDeps {
  readonly uow: UnitOfWork<TenancyRepositories>;
}

export type ListApiKeysInput = PageInput;

export type ListApiKeys = (principal: Principal, input?: ListApiKeysInput) => Promise<Page<ApiKey>>;

/**
 * The customer's keys (revoked and expired included, so their history shows), newest first. A key bound
 * to an instance sees only the keys bound to that instance. Throws `invalid_input` for a bad limit.
 */
export function createListApiKeys({ uow }: ListApiKeysDeps): ListApiKeys {
  return async (principal, input = {}) => {
    const page = toPageRequest(input);
    const filter = principal.instanceId === null ? {} : { instanceId: principal.instanceId };
    return uow.repos.apiKeys.list(principal.customerId, page, filter);
  };
}
