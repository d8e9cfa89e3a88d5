import type {
  ActionAccepted,
  CreateGroupParams,
  CreatedGroup,
  Group,
  GroupInvite,
  GroupParticipantsParams,
  GroupPictureParams,
  JoinGroupParams,
  JoinRequestList,
  JoinRequestsParams,
  JoinedGroup,
  Page,
  PageParams,
  ParticipantResults,
  UpdateGroupParams,
} from '../api-types.js';
import { sendIdempotent, type Idempotent, type SendOptions } from '../http/idempotent-request.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { Paginated, pageQuery } from '../pagination/paginated.js';
import { routeOf } from '../routes.js';
import type { AcceptedAction } from './messages.js';

/**
 * Groups of an instance. What needs an answer (create, read, participants, invites, join requests, picture) is
 * answered at once by the instance's session (409 `not_connected`, 504 `upstream_timeout` when WhatsApp is
 * slow); settings changes and leaving are staged in the outbox (202). `groupId` is the group JID (`…@g.us`).
 */
export class Groups {
  constructor(private readonly transport: Transport) {}

  /**
   * Creates a group: its id, invite code and one result per participant (`added`, `invited`, `refused` with a
   * reason). Sent with an Idempotency-Key (yours or a fresh one), so a retry never creates a second group.
   */
  create(instanceId: string, params: CreateGroupParams, options?: SendOptions): Promise<Idempotent<CreatedGroup>> {
    return sendIdempotent<CreatedGroup>(this.transport, { ...routeOf('createGroup', { id: instanceId }), body: params }, options);
  }

  /** Every group this number is in, newest first, fetched a page at a time. */
  list(instanceId: string, params: PageParams = {}, options: CallOptions = {}): Paginated<Group> {
    return new Paginated((cursor) => this.listPage(instanceId, { ...params, cursor }, options), params.cursor);
  }

  /** One page of groups. */
  listPage(instanceId: string, params: PageParams = {}, options: CallOptions = {}): Promise<Page<Group>> {
    return this.transport.json({ ...routeOf('listGroups', { id: instanceId }), query: pageQuery(params, params.cursor), retry: true, signal: options.signal });
  }

  /** A group with settings and participants (roles, phone numbers, LIDs); 404 when this number is not in it. */
  get(instanceId: string, groupId: string, options: CallOptions = {}): Promise<Group> {
    return this.transport.json({ ...routeOf('getGroup', { id: instanceId, group_id: groupId }), retry: true, signal: options.signal });
  }

  /** Changes subject, description or settings (staged in the outbox; `group.updated` follows). */
  update(instanceId: string, groupId: string, params: UpdateGroupParams, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, { ...routeOf('updateGroup', { id: instanceId, group_id: groupId }), body: params }, options);
  }

  /** Sets the group's picture (a JPEG, PNG or WebP image by `media_url` or `media_base64`). */
  async setPicture(instanceId: string, groupId: string, params: GroupPictureParams, options: CallOptions = {}): Promise<void> {
    await this.transport.json<null>({ ...routeOf('setGroupPicture', { id: instanceId, group_id: groupId }), body: params, retry: true, signal: options.signal });
  }

  /** Adds, removes, promotes or demotes participants: one result per person. */
  updateParticipants(instanceId: string, groupId: string, params: GroupParticipantsParams, options: CallOptions = {}): Promise<ParticipantResults> {
    return this.transport.json({ ...routeOf('updateGroupParticipants', { id: instanceId, group_id: groupId }), body: params, retry: false, signal: options.signal });
  }

  /** The invite code and link. */
  invite(instanceId: string, groupId: string, options: CallOptions = {}): Promise<GroupInvite> {
    return this.transport.json({ ...routeOf('getGroupInvite', { id: instanceId, group_id: groupId }), retry: true, signal: options.signal });
  }

  /** Replaces the invite link (the old one stops working). */
  rotateInvite(instanceId: string, groupId: string, options: CallOptions = {}): Promise<GroupInvite> {
    return this.transport.json({ ...routeOf('rotateGroupInvite', { id: instanceId, group_id: groupId }), retry: false, signal: options.signal });
  }

  /** Joins by invite code or link. */
  join(instanceId: string, params: JoinGroupParams, options: CallOptions = {}): Promise<JoinedGroup> {
    // Joining a group this number is in already changes nothing, so a retry is harmless.
    return this.transport.json({ ...routeOf('joinGroup', { id: instanceId }), body: params, retry: true, signal: options.signal });
  }

  /** Leaves the group (staged in the outbox). */
  leave(instanceId: string, groupId: string, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, routeOf('leaveGroup', { id: instanceId, group_id: groupId }), options);
  }

  /** Pending requests to join a group that needs approval. */
  joinRequests(instanceId: string, groupId: string, options: CallOptions = {}): Promise<JoinRequestList> {
    return this.transport.json({ ...routeOf('listGroupJoinRequests', { id: instanceId, group_id: groupId }), retry: true, signal: options.signal });
  }

  /** Approves or rejects join requests: one result per person. */
  answerJoinRequests(instanceId: string, groupId: string, params: JoinRequestsParams, options: CallOptions = {}): Promise<ParticipantResults> {
    return this.transport.json({ ...routeOf('answerGroupJoinRequests', { id: instanceId, group_id: groupId }), body: params, retry: false, signal: options.signal });
  }
}
