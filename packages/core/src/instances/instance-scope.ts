/*
 * The one place that decides whether a principal may see an instance. Another customer's instance is
 * indistinguishable from a missing one (`not_found`, never `forbidden`, so ids cannot be probed across
 * tenants). A key bound to one instance gets `forbidden` for its customer's other instances: they are the
 * same tenant's, so saying they exist leaks nothing, and a 403 tells the integrator the key is too narrow.
 */
import { DomainError, notFound, type Principal } from '../shared/index.js';
import type { Instance } from './instance.js';
import type { InstanceRepositories } from './instance-repositories.js';

/** Throws `forbidden` when `principal` is bound to an instance other than `instanceId`. */
export function assertInstanceAllowed(principal: Principal, instanceId: string): void {
  if (principal.instanceId !== null && principal.instanceId !== instanceId) {
    throw new DomainError('forbidden', 'This API key is restricted to another instance.', {
      instance_id: principal.instanceId,
    });
  }
}

/**
 * The principal's live instance `id`. Throws `not_found` when it is absent, deleted or another customer's,
 * and `forbidden` when the principal is bound to a different instance of the same customer.
 */
export async function findInstanceInScope(
  repos: InstanceRepositories,
  principal: Principal,
  id: string,
): Promise<Instance> {
  const instance = await repos.instances.findById(principal.customerId, id);
  if (instance === null) throw notFound('instance', id);
  assertInstanceAllowed(principal, instance.id);
  return instance;
}
