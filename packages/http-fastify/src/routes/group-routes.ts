/*
 * Groups of an instance. Whatever the caller needs an answer to (create, read, participants, invites, join
 * requests, the picture) is a live operation: answered now, or 409 / 504 like a lookup. Settings changes and
 * leaving are staged in the outbox (202) and happen in acceptance order with the instance's messages.
 */
import {
  CreateGroupBody,
  CreatedGroupJson,
  GroupInviteJson,
  GroupJson,
  GroupListJson,
  GroupListQuery,
  GroupParams,
  GroupParticipantsBody,
  GroupPictureBody,
  JoinGroupBody,
  JoinRequestListJson,
  JoinRequestsBody,
  JoinedGroupJson,
  ParticipantResultsJson,
  UpdateGroupBody,
  inviteUrlOf,
  toGroupJson,
  toJoinRequestJson,
  toParticipantResultJson,
  type GroupUseCases,
} from '@whatisup/core';
import type { AnyRouteSpec } from '../lib/create-router.js';
import { defineLiveLookupRoute } from '../lib/live-lookup-route.js';
import { defineOutboxActionRoute } from '../lib/outbox-action-route.js';
import { IdParams } from '../schemas/common-schemas.js';
import { idempotencyKeyOf } from '../schemas/idempotency-key-header.js';

export type GroupRoutesDeps = GroupUseCases;

const tags = ['Groups'];
const NOT_ADMIN = '409 `conflict` when this number is not an admin of the group; 404 when it is not in the group.';

export function groupRoutes(deps: GroupRoutesDeps): AnyRouteSpec[] {
  return [
    defineLiveLookupRoute({
      method: 'POST',
      url: '/v1/instances/:id/groups',
      operationId: 'createGroup',
      summary: 'Create a group',
      description:
        'Creates the group now and answers with its id, invite code and one result per participant, in the order given: ' +
        '`added`, `invited` (not added; WhatsApp holds an invitation for them) or `refused` with WhatsApp’s `reason` ' +
        '(`privacy`, `not_on_whatsapp`, ...). `group.created` follows. Send an `Idempotency-Key` header to retry safely: ' +
        'a repeat returns the first group (header `Idempotent-Replayed: true`) and creates none; while the first ' +
        'creation is still running, or when its answer did not come in time, a repeat is 409 `conflict` (try again shortly); ' +
        'the same key with a different request is 409 `idempotency_conflict`.',
      tags,
      params: IdParams,
      body: CreateGroupBody,
      response: { status: 201, description: 'The group was created (or the first answer to a repeat).', schema: CreatedGroupJson },
      handler: async ({ principal, params, body, request, reply }) => {
        const { group, created } = await deps.createGroup(principal, { instanceId: params.id, body, idempotencyKey: idempotencyKeyOf(request.headers) });
        if (!created) reply.header('idempotent-replayed', 'true');
        return group;
      },
    }),
    defineLiveLookupRoute({
      method: 'GET',
      url: '/v1/instances/:id/groups',
      operationId: 'listGroups',
      summary: 'List groups',
      description: 'The groups this number is in, newest first, with their participants.',
      tags,
      params: IdParams,
      query: GroupListQuery,
      response: { status: 200, description: 'A page of groups.', schema: GroupListJson },
      handler: async ({ principal, params, query }) => {
        const page = await deps.listGroups(principal, { instanceId: params.id, limit: query.limit, cursor: query.cursor ?? null });
        return { data: page.data.map(toGroupJson), next_cursor: page.nextCursor };
      },
    }),
    defineLiveLookupRoute({
      method: 'GET',
      url: '/v1/instances/:id/groups/:group_id',
      operationId: 'getGroup',
      summary: 'Get a group',
      description: 'Subject, description, owner, settings and participants with their roles, phone numbers and LIDs. 404 when this number is not in the group.',
      tags,
      params: GroupParams,
      response: { status: 200, description: 'The group.', schema: GroupJson },
      handler: async ({ principal, params }) => toGroupJson(await deps.getGroup(principal, { instanceId: params.id, groupId: params.group_id })),
    }),
    defineOutboxActionRoute({
      method: 'PATCH',
      url: '/v1/instances/:id/groups/:group_id',
      operationId: 'updateGroup',
      summary: 'Change a group’s subject, description or settings',
      description: '`group.updated` follows once WhatsApp took the change; `action.failed` when it refused (not an admin, not in the group).',
      tags,
      params: GroupParams,
      body: UpdateGroupBody,
      stage: ({ principal, params, body }, idempotencyKey) =>
        deps.updateGroup(principal, { instanceId: params.id, groupId: params.group_id, body, idempotencyKey }),
    }),
    defineLiveLookupRoute({
      method: 'PUT',
      url: '/v1/instances/:id/groups/:group_id/picture',
      operationId: 'setGroupPicture',
      summary: 'Set a group’s picture',
      description:
        'A JPEG, PNG or WebP image of at most 5 MiB, by `media_url` (fetched through the same guarded client and caps as ' +
        'media sends: 422 `unsafe_url` for a private address, 413 when too large) or inline as `media_base64`. Bytes that ' +
        `are no such image are 422 \`invalid_media\`. ${NOT_ADMIN}`,
      tags,
      params: GroupParams,
      body: GroupPictureBody,
      response: { status: 204, description: 'The picture was set.' },
      errors: [413, 422],
      handler: async ({ principal, params, body }) => deps.setGroupPicture(principal, { instanceId: params.id, groupId: params.group_id, body }),
    }),
    defineLiveLookupRoute({
      method: 'POST',
      url: '/v1/instances/:id/groups/:group_id/participants',
      operationId: 'updateGroupParticipants',
      summary: 'Add, remove, promote or demote participants',
      description:
        'One result per person, in the order given. Someone WhatsApp will not change is a `refused` result with its ' +
        '`reason` (promoting or removing someone who is not in the group: `not_a_participant`), not an error: the others ' +
        `may have changed. \`group.participant_added\`, \`group.participant_removed\`, \`group.admin_promoted\` or \`group.admin_demoted\` follow. ${NOT_ADMIN}`,
      tags,
      params: GroupParams,
      body: GroupParticipantsBody,
      response: { status: 200, description: 'One result per participant.', schema: ParticipantResultsJson },
      handler: async ({ principal, params, body }) => {
        const { groupId, results } = await deps.updateGroupParticipants(principal, { instanceId: params.id, groupId: params.group_id, body });
        return { group_id: groupId, participants: results.map(toParticipantResultJson) };
      },
    }),
    defineLiveLookupRoute({
      method: 'GET',
      url: '/v1/instances/:id/groups/:group_id/invite',
      operationId: 'getGroupInvite',
      summary: 'Get a group’s invite link',
      description: NOT_ADMIN,
      tags,
      params: GroupParams,
      response: { status: 200, description: 'The invite code and link.', schema: GroupInviteJson },
      handler: async ({ principal, params }) => {
        const { groupId, code } = await deps.getGroupInvite(principal, { instanceId: params.id, groupId: params.group_id, rotate: false });
        return { group_id: groupId, invite_code: code, invite_url: inviteUrlOf(code) };
      },
    }),
    defineLiveLookupRoute({
      method: 'POST',
      url: '/v1/instances/:id/groups/:group_id/invite/rotate',
      operationId: 'rotateGroupInvite',
      summary: 'Replace a group’s invite link',
      description: `The old link stops working; \`group.updated\` (\`invite_rotated: true\`) follows. ${NOT_ADMIN}`,
      tags,
      params: GroupParams,
      response: { status: 200, description: 'The new invite code and link.', schema: GroupInviteJson },
      handler: async ({ principal, params }) => {
        const { groupId, code } = await deps.getGroupInvite(principal, { instanceId: params.id, groupId: params.group_id, rotate: true });
        return { group_id: groupId, invite_code: code, invite_url: inviteUrlOf(code) };
      },
    }),
    defineLiveLookupRoute({
      method: 'POST',
      url: '/v1/instances/:id/groups/join',
      operationId: 'joinGroup',
      summary: 'Join a group by invite',
      description: 'By invite code or link. 404 when the code is unknown or was revoked.',
      tags,
      params: IdParams,
      body: JoinGroupBody,
      response: { status: 200, description: 'The group joined.', schema: JoinedGroupJson },
      handler: async ({ principal, params, body }) => ({ group_id: (await deps.joinGroup(principal, { instanceId: params.id, body })).groupId }),
    }),
    defineOutboxActionRoute({
      method: 'POST',
      url: '/v1/instances/:id/groups/:group_id/leave',
      operationId: 'leaveGroup',
      summary: 'Leave a group',
      description: '`group.participant_removed` naming this number follows.',
      tags,
      params: GroupParams,
      stage: ({ principal, params }, idempotencyKey) => deps.leaveGroup(principal, { instanceId: params.id, groupId: params.group_id, idempotencyKey }),
    }),
    defineLiveLookupRoute({
      method: 'GET',
      url: '/v1/instances/:id/groups/:group_id/join-requests',
      operationId: 'listGroupJoinRequests',
      summary: 'List requests to join a group',
      description: `Pending requests of a group that needs approval (\`join_approval\`). ${NOT_ADMIN}`,
      tags,
      params: GroupParams,
      response: { status: 200, description: 'The pending requests.', schema: JoinRequestListJson },
      handler: async ({ principal, params }) => ({
        data: (await deps.listJoinRequests(principal, { instanceId: params.id, groupId: params.group_id })).map(toJoinRequestJson),
      }),
    }),
    defineLiveLookupRoute({
      method: 'POST',
      url: '/v1/instances/:id/groups/:group_id/join-requests',
      operationId: 'answerGroupJoinRequests',
      summary: 'Approve or reject requests to join a group',
      description: `One result per person (\`approved\`, \`rejected\`, or \`refused\` with \`no_join_request\`). ${NOT_ADMIN}`,
      tags,
      params: GroupParams,
      body: JoinRequestsBody,
      response: { status: 200, description: 'One result per person.', schema: ParticipantResultsJson },
      handler: async ({ principal, params, body }) => {
        const { groupId, results } = await deps.answerJoinRequests(principal, { instanceId: params.id, groupId: params.group_id, body });
        return { group_id: groupId, participants: results.map(toParticipantResultJson) };
      },
    }),
  ];
}
