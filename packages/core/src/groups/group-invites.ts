/*
 * Invite codes: read, rotate (the old link stops working) and join by one. Live operations: the caller needs
 * the code or the joined group's id.
 */
import type { Principal } from '../shared/index.js';
import { parseWithSchema } from '../shared/index.js';
import type { InstanceLookup } from '../sessions/index.js';
import { toGroupJid, toInviteCode } from './group-address.js';
import { JoinGroupBody } from './schemas/group-schemas.js';

type GroupInput = { readonly instanceId: string; readonly groupId: string };
export type GetGroupInvite = (principal: Principal, input: GroupInput & { readonly rotate: boolean }) => Promise<{ groupId: string; code: string }>;
export type JoinGroup = (principal: Principal, input: { readonly instanceId: string; readonly body: unknown }) => Promise<{ groupId: string }>;

/**
 * The group's invite code, or a new one (`rotate`). Throws invalid_input, not_found, forbidden, not_connected,
 * conflict (not an admin), upstream_timeout, unavailable.
 */
export function createGetGroupInvite(deps: { readonly lookup: InstanceLookup }): GetGroupInvite {
  return async (principal, input) => {
    const groupId = toGroupJid(input.groupId);
    const code = await deps.lookup(principal, input.instanceId, (_directory, _instance, groups) =>
      input.rotate ? groups.rotateInvite(groupId) : groups.inviteCode(groupId),
    );
    return { groupId, code };
  };
}

/**
 * Joins a group by invite code or link. Throws invalid_input, not_found (unknown or revoked code), forbidden,
 * not_connected, upstream_timeout, unavailable.
 */
export function createJoinGroup(deps: { readonly lookup: InstanceLookup }): JoinGroup {
  return async (principal, input) => {
    const code = toInviteCode(parseWithSchema(JoinGroupBody, input.body, 'body').invite);
    const groupId = await deps.lookup(principal, input.instanceId, (_directory, _instance, groups) => groups.join(code));
    return { groupId };
  };
}
