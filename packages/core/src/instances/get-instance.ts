import type { Principal, UnitOfWork } from '../shared/index.js';
import type { Instance } from './instance.js';
import type { InstanceRepositories } from './instance-repositories.js';
import { findInstanceInScope } from './instance-scope.js';

export interface GetInstanceDeps {
  readonly uow: UnitOfWork<InstanceRepositories>;
}

export interface GetInstanceInput {
  readonly id: string;
}

export type GetInstance = (principal: Principal, input: GetInstanceInput) => Promise<Instance>;

/**
 * The customer's live instance. Throws `not_found` when absent, deleted or another customer's, and
 * `forbidden` when the principal is bound to a different instance.
 */
export function createGetInstance({ uow }: GetInstanceDeps): GetInstance {
  return async (principal, { id }) => findInstanceInScope(uow.repos, principal, id);
}
