/* Groups: create, read, change and leave groups, participants, invites and join requests; the group.* events. */
export { createGroupUseCases, type GroupUseCases, type GroupUseCasesDeps } from './create-group-use-cases.js';
export { createGroupEventHandler, type GroupEventHandlerDeps, type HandleGroupEvent } from './handle-group-event.js';
export type { GroupRepositories } from './group-repositories.js';
export type { GroupCreationClaim, GroupCreationRecord, GroupCreationRepository } from './group-creation-repository.js';
export type { CreateGroup, CreatedGroupResponse } from './create-group.js';
export type { ListGroups } from './list-groups.js';
export type { GetGroup } from './get-group.js';
export type { UpdateGroup, LeaveGroup } from './update-group.js';
export { sniffImageType, type SetGroupPicture } from './set-group-picture.js';
export type { UpdateGroupParticipants } from './update-group-participants.js';
export type { GetGroupInvite, JoinGroup } from './group-invites.js';
export type { ListJoinRequests, AnswerJoinRequests } from './group-join-requests.js';
export { toGroupJid, toInviteCode } from './group-address.js';
export {
  MAX_GROUP_PARTICIPANTS,
  EPHEMERAL_SECONDS,
  GroupParams,
  GroupListQuery,
  CreateGroupBody,
  UpdateGroupBody,
  GroupPictureBody,
  GroupParticipantsBody,
  JoinGroupBody,
  JoinRequestsBody,
  GroupJson,
  GroupListJson,
  CreatedGroupJson,
  ParticipantResultJson,
  ParticipantResultsJson,
  GroupInviteJson,
  JoinedGroupJson,
  JoinRequestListJson,
  toGroupJson,
  toParticipantResultJson,
  toJoinRequestJson,
  inviteUrlOf,
} from './schemas/group-schemas.js';
export {
  SANDBOX_GROUP_EVENT_TYPES,
  SandboxGroupEventBody,
  SandboxGroupEventJson,
  toSandboxGroupEvent,
  toSandboxGroupEventJson,
} from './schemas/sandbox-group-event-schema.js';
