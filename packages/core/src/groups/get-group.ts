import type { Principal } from '../shared/index.js';
import type { GroupInfo, InstanceLookup } from '../sessions/index.js';
import { toGroupJid } from './group-address.js';

export type GetGroup = (principal: Principal, input: { readonly instanceId: string; readonly groupId: string }) => Promise<GroupInfo>;

/**
 * One group with its settings and participants (`GET …/groups/:group_id`), asked live. Throws invalid_input,
 * not_found (also a group this number is not in), forbidden, not_connected, upstream_timeout, unavailable.
 */
export function createGetGroup(deps: { readonly lookup: InstanceLookup }): GetGroup {
  return async (principal, input) => {
    const groupId = toGroupJid(input.groupId);
    return deps.lookup(principal, input.instanceId, (_directory, _instance, groups) => groups.get(groupId));
  };
}
