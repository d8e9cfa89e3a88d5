import type { Principal } from '../shared/index.js';
import { parseWithSchema } from '../shared/index.js';
import type { Message, StageOutboxAction } from '../messages/index.js';
import type { GroupChanges } from '../sessions/index.js';
import { toGroupJid } from './group-address.js';
import { UpdateGroupBody } from './schemas/group-schemas.js';

type Staged = Promise<{ action: Message; created: boolean }>;
type Idempotency = { readonly idempotencyKey?: string | null | undefined };
export type UpdateGroup = (principal: Principal, input: { readonly instanceId: string; readonly groupId: string; readonly body: unknown } & Idempotency) => Staged;
export type LeaveGroup = (principal: Principal, input: { readonly instanceId: string; readonly groupId: string } & Idempotency) => Staged;

/**
 * Changes subject, description and settings (`PATCH …/groups/:group_id`): an outbox action, performed in
 * acceptance order with the instance's sends; `group.updated` follows when WhatsApp took it, `action.failed`
 * when it refused (not an admin, not in the group). Throws invalid_input, not_found, forbidden, not_connected,
 * idempotency_conflict.
 */
export function createUpdateGroup(deps: { readonly stageOutboxAction: StageOutboxAction }): UpdateGroup {
  return async (principal, input) => {
    const groupId = toGroupJid(input.groupId);
    const body = parseWithSchema(UpdateGroupBody, input.body, 'body');
    const changes: GroupChanges = {
      ...(body.subject !== undefined && { subject: body.subject }),
      ...(body.description !== undefined && { description: body.description }),
      ...(body.announce !== undefined && { announce: body.announce }),
      ...(body.locked !== undefined && { locked: body.locked }),
      ...(body.ephemeral_seconds !== undefined && { ephemeralSeconds: body.ephemeral_seconds }),
      ...(body.join_approval !== undefined && { joinApproval: body.join_approval }),
    };
    return deps.stageOutboxAction(principal, {
      instanceId: input.instanceId,
      action: { type: 'group_update', groupId, changes },
      target: groupId,
      idempotencyKey: input.idempotencyKey,
    });
  };
}

/** Leaves a group (`POST …/groups/:group_id/leave`), as an outbox action. Throws as `UpdateGroup`. */
export function createLeaveGroup(deps: { readonly stageOutboxAction: StageOutboxAction }): LeaveGroup {
  return async (principal, input) => {
    const groupId = toGroupJid(input.groupId);
    return deps.stageOutboxAction(principal, {
      instanceId: input.instanceId,
      action: { type: 'group_leave', groupId },
      target: groupId,
      idempotencyKey: input.idempotencyKey,
    });
  };
}
