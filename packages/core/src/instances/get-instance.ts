import type { Principal } from '../shared/actor.js';
import type { Instance } from './instance.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { findInstanceInScope } from './instance-scope.js';

export interface GetInstanceDeps {
  readonly uow: UnitOfWork;
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
