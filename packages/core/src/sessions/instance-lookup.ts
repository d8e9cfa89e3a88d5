/*
 * A live lookup as a use case performs it: the instance in the principal's scope (another customer's is
 * not_found, a key bound to another instance is forbidden), then the question to its owning session within
 * the deadline (session-lookups.ts: not_connected, upstream_timeout). Every synchronous WhatsApp question a
 * route asks (contacts, LIDs, and later groups and chats) goes through here.
 */
import type { Principal, UnitOfWork } from '../shared/index.js';
import { findInstanceInScope, type Instance, type InstanceRepositories } from '../instances/index.js';
import type { LookupOptions, SessionLookups } from './session-lookups.js';
import type { WhatsAppDirectory } from './whatsapp-directory.js';
import type { WhatsAppGroups } from './whatsapp-groups.js';

export type InstanceLookup = <T>(
  principal: Principal,
  instanceId: string,
  query: (directory: WhatsAppDirectory, instance: Instance, groups: WhatsAppGroups) => Promise<T>,
  options?: LookupOptions,
) => Promise<T>;

export function createInstanceLookup(deps: {
  readonly uow: UnitOfWork<InstanceRepositories>;
  readonly lookups: SessionLookups;
}): InstanceLookup {
  return async (principal, instanceId, query, options) => {
    const instance = await findInstanceInScope(deps.uow.repos, principal, instanceId);
    return deps.lookups.lookup(instance, (directory, groups) => query(directory, instance, groups), options);
  };
}
