import type { Principal } from '../shared/actor.js';
import type { Instance } from './instance.js';
import type { Page } from '../shared/pagination.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { toPageRequest, type PageInput } from '../shared/page-input.js';

export interface ListInstancesDeps {
  readonly uow: UnitOfWork;
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
