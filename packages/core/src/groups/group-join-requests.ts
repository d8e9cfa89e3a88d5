/* Requests to join a group that needs approval: listed and answered live (one result per person). */
import type { Principal } from '../shared/index.js';
import { parseWithSchema } from '../shared/index.js';
import type { InstanceLookup, JoinRequest, ParticipantResult } from '../sessions/index.js';
import { toGroupJid } from './group-address.js';
import { JoinRequestsBody } from './schemas/group-schemas.js';

type GroupInput = { readonly instanceId: string; readonly groupId: string };
export type ListJoinRequests = (principal: Principal, input: GroupInput) => Promise<JoinRequest[]>;
export type AnswerJoinRequests = (
  principal: Principal,
  input: GroupInput & { readonly body: unknown },
) => Promise<{ readonly groupId: string; readonly results: readonly ParticipantResult[] }>;

/** Throws invalid_input, not_found, forbidden, not_connected, conflict (not an admin), upstream_timeout, unavailable. */
export function createListJoinRequests(deps: { readonly lookup: InstanceLookup }): ListJoinRequests {
  return async (principal, input) => {
    const groupId = toGroupJid(input.groupId);
    return deps.lookup(principal, input.instanceId, (_directory, _instance, groups) => groups.joinRequests(groupId));
  };
}

/**
 * Approves or rejects; someone who did not ask is a `refused` result. Throws invalid_input, not_found,
 * forbidden, not_connected, conflict (not an admin), upstream_timeout, unavailable.
 */
export function createAnswerJoinRequests(deps: { readonly lookup: InstanceLookup }): AnswerJoinRequests {
  return async (principal, input) => {
    const groupId = toGroupJid(input.groupId);
    const body = parseWithSchema(JoinRequestsBody, input.body, 'body');
    const results = await deps.lookup(principal, input.instanceId, (_directory, _instance, groups) =>
      groups.answerJoinRequests(groupId, body.action, body.participants),
    );
    return { groupId, results };
  };
}
