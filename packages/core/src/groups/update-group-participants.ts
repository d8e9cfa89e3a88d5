import type { Principal } from '../shared/index.js';
import { parseWithSchema } from '../shared/index.js';
import type { InstanceLookup, ParticipantResult } from '../sessions/index.js';
import { toGroupJid } from './group-address.js';
import { GroupParticipantsBody } from './schemas/group-schemas.js';

export type UpdateGroupParticipants = (
  principal: Principal,
  input: { readonly instanceId: string; readonly groupId: string; readonly body: unknown },
) => Promise<{ readonly groupId: string; readonly results: readonly ParticipantResult[] }>;

/**
 * Adds, removes, promotes or demotes participants (`POST …/groups/:group_id/participants`): a live operation
 * answered with one result per person, in the order given. A person WhatsApp will not change (promoting
 * someone who is not in the group, adding someone whose privacy forbids it) is a `refused` result with its
 * reason, not an error: the others may have changed. Throws invalid_input, not_found, forbidden,
 * not_connected, conflict (this number is not an admin), upstream_timeout, unavailable.
 */
export function createUpdateGroupParticipants(deps: { readonly lookup: InstanceLookup }): UpdateGroupParticipants {
  return async (principal, input) => {
    const groupId = toGroupJid(input.groupId);
    const body = parseWithSchema(GroupParticipantsBody, input.body, 'body');
    const results = await deps.lookup(principal, input.instanceId, (_directory, _instance, groups) =>
      groups.updateParticipants(groupId, body.action, body.participants),
    );
    return { groupId, results };
  };
}
