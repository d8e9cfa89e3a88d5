import { toPageRequest, type Principal, type Page, type UnitOfWork, type PageInput } from '../shared/index.js';
import type { Instance } from './instance.js';
import type { InstanceRepositories } from './instance-repositories.js';

export interface ListInstancesDeps {
  readonly uow: UnitOfWork<InstanceRepositories>;
}

export type ListInstancesInput = PageInput;

export type ListInstances = (principal: Principal, input?: ListInstancesInput) => Promise<Page<Instance>>;

/**
 * The customer's live instances, newest first; a key bound to an instance sees only that one. Throws
 * `invalid_input` for a bad limit.
 */
export function createListInstances({ uow }: ListInstancesDeps): ListInstances {
  return async (principal, input = {}) => {
    const page = toPageRequest(input);
    const filter = principal.instanceId === null ? {} : { onlyId: principal.instanceId };
    return uow.repos.instances.list(principal.customerId, page, filter);
  };
}
