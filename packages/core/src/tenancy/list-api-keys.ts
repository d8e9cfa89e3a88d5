import type { Principal } from '../shared/actor.js';
import type { ApiKey } from './api-key.js';
import type { Page } from '../shared/pagination.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { toPageRequest, type PageInput } from '../shared/page-input.js';

export interface ListApiKeysDeps {
  readonly uow: UnitOfWork;
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
