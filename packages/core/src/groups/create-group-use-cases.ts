/*
 * The group use cases, wired once for the server and every test harness: live operations through the
 * instance's session (`lookups`, the session manager) for everything whose answer the caller needs, and the
 * outbox for settings changes and leaving.
 */
import type { StageOutboxAction } from '../messages/index.js';
import { createInstanceLookup, type SessionLookups } from '../sessions/index.js';
import type { Clock, OutboundHttp, UnitOfWork } from '../shared/index.js';
import { createCreateGroup } from './create-group.js';
import { createGetGroup } from './get-group.js';
import { createGetGroupInvite, createJoinGroup } from './group-invites.js';
import { createAnswerJoinRequests, createListJoinRequests } from './group-join-requests.js';
import type { GroupRepositories } from './group-repositories.js';
import { createListGroups } from './list-groups.js';
import { createSetGroupPicture } from './set-group-picture.js';
import { createLeaveGroup, createUpdateGroup } from './update-group.js';
import { createUpdateGroupParticipants } from './update-group-participants.js';

export interface GroupUseCasesDeps {
  readonly uow: UnitOfWork<GroupRepositories>;
  readonly clock: Clock;
  readonly lookups: SessionLookups;
  readonly stageOutboxAction: StageOutboxAction;
  readonly outbound: Pick<OutboundHttp, 'download'>;
  /** How long a pending group creation holds its Idempotency-Key (see create-group.ts). */
  readonly creationClaimTtlMs?: number;
}

export function createGroupUseCases(deps: GroupUseCasesDeps) {
  const { uow } = deps;
  const lookup = createInstanceLookup({ uow, lookups: deps.lookups });
  return {
    createGroup: createCreateGroup({ uow, clock: deps.clock, lookups: deps.lookups, ...(deps.creationClaimTtlMs !== undefined && { claimTtlMs: deps.creationClaimTtlMs }) }),
    listGroups: createListGroups({ lookup }),
    getGroup: createGetGroup({ lookup }),
    updateGroup: createUpdateGroup({ stageOutboxAction: deps.stageOutboxAction }),
    setGroupPicture: createSetGroupPicture({ uow, lookup, outbound: deps.outbound }),
    updateGroupParticipants: createUpdateGroupParticipants({ lookup }),
    getGroupInvite: createGetGroupInvite({ lookup }),
    joinGroup: createJoinGroup({ lookup }),
    leaveGroup: createLeaveGroup({ stageOutboxAction: deps.stageOutboxAction }),
    listJoinRequests: createListJoinRequests({ lookup }),
    answerJoinRequests: createAnswerJoinRequests({ lookup }),
  };
}

export type GroupUseCases = ReturnType<typeof createGroupUseCases>;
