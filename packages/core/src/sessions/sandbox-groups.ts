/*
 * The groups of a sandbox instance's simulated WhatsApp: state kept by the session (for its lifetime) and
 * deterministic rules an integrator can build against without a phone (documented in docs/api.md, "Sandbox
 * rules"). Shared by the sandbox adapter and core's in-memory fakes, so both answer alike.
 *
 * Adding a person (create, add):
 * - a number that is not on WhatsApp (last digit 0, see sandbox-directory.ts) is `refused`, `not_on_whatsapp` (404);
 * - a number whose last digit is 3 is `refused`, `privacy` (403): their settings forbid being added;
 * - a number whose last digit is 4 is `invited` (403): not added, WhatsApp holds an invitation for them;
 * - someone already in the group is `refused`, `already_participant` (409); everyone else is `added`.
 * Removing, promoting or demoting someone not in the group is `refused`, `not_a_participant` (404); the group's
 * creator cannot be removed or demoted (`refused`, `not_authorized`, 401). Approving or rejecting someone
 * who did not ask to join is `refused`, `no_join_request` (404).
 * A group the instance created has it as creator (`superadmin`). Joining by an invite code this session made
 * puts the instance back in that group; a code starting with `SANDBOX` joins a group created by 15550000001 in
 * which the instance is a plain member (admin-only changes are then `conflict`, `not_admin`); any other code
 * is `not_found`. Every change the instance makes is reported a moment later as a group event, as a phone
 * reports it; `inject` plays what other people do (see `SandboxGroupEvent`).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { DomainError } from '../shared/index.js';
import { sandboxLidOf, sandboxNumberExists, sandboxPhoneOfLid } from './sandbox-directory.js';
import type { SessionEvent } from './whatsapp-session.js';
import { WhatsAppSendError } from './whatsapp-session.js';
import type {
  GroupChanges,
  GroupEvent,
  GroupInfo,
  GroupMember,
  GroupParticipantAction,
  GroupPerson,
  GroupRole,
  JoinRequest,
  ParticipantResult,
  WhatsAppGroups,
} from './whatsapp-groups.js';

/** The creator of the groups an instance joins by a `SANDBOX…` invite code. */
export const SANDBOX_GROUP_OWNER = '15550000001';

/** What other people do in a sandbox group, injected through `POST …/sandbox/group-events`. */
export type SandboxGroupEvent =
  /** `participant` adds the instance to a new group they created (`group_id` is made up when absent). */
  | { readonly type: 'added_to_group'; readonly participant: string; readonly subject: string; readonly groupId?: string }
  /** `participant` asks to join (the group should need approval; the request is listed until answered). */
  | { readonly type: 'join_request'; readonly groupId: string; readonly participant: string }
  /** `participant` joins (by invite link). */
  | { readonly type: 'participant_joined'; readonly groupId: string; readonly participant: string }
  /** `participant` leaves. */
  | { readonly type: 'participant_left'; readonly groupId: string; readonly participant: string }
  /** `participant` renames the group. */
  | { readonly type: 'subject_changed'; readonly groupId: string; readonly participant: string; readonly subject: string };

export interface SandboxGroups extends WhatsAppGroups {
  /** Plays what another person did; returns the group event it caused. Throws invalid_input, not_found, not_connected. */
  inject(event: SandboxGroupEvent): GroupEvent;
}

interface GroupState {
  id: string;
  subject: string;
  description: string | null;
  owner: string;
  createdAt: Date;
  announce: boolean;
  locked: boolean;
  ephemeralSeconds: number;
  joinApproval: boolean;
  members: Map<string, GroupRole>;
  requests: Map<string, Date>;
  inviteCode: string;
}

const MSISDN = /^[1-9]\d{7,14}$/;
const PHONE_JID = /^([1-9]\d{7,14})(?::\d+)?@s\.whatsapp\.net$/;

/** The phone number an address names (MSISDN, phone JID or sandbox LID JID), or null. */
function phoneOf(address: string): string | null {
  if (MSISDN.test(address)) return address;
  const phone = PHONE_JID.exec(address);
  if (phone !== null) return phone[1]!;
  return sandboxPhoneOfLid(address);
}

const personOf = (phone: string): GroupPerson => ({ jid: `${phone}@s.whatsapp.net`, phoneNumber: phone, lid: sandboxLidOf(phone) });
const jidOf = (address: string): string => {
  const phone = phoneOf(address);
  return phone === null ? address : `${phone}@s.whatsapp.net`;
};
const inviteCode = (): string => randomBytes(16).toString('base64url').replace(/[-_]/g, 'x').slice(0, 22);
const groupJid = (): string => `120363${String(randomInt(1e6)).padStart(6, '0')}${String(randomInt(1e6)).padStart(6, '0')}@g.us`;
const refused = (jid: string, reason: string, code: number): ParticipantResult => ({ jid, status: 'refused', reason, code });

export interface SandboxGroupsDeps {
  readonly isConnected: () => boolean;
  /** The instance's own phone number (MSISDN). */
  readonly ownPhone: () => string;
  /** Reports an event a moment later, as the phone would (the session schedules it). */
  readonly report: (event: SessionEvent) => void;
  readonly now: () => Date;
}

export function createSandboxGroups(deps: SandboxGroupsDeps): SandboxGroups {
  const groups = new Map<string, GroupState>();
  const me = (): string => deps.ownPhone();
  const report = (event: GroupEvent): void => deps.report({ type: 'group', event });

  function connected(): void {
    if (!deps.isConnected()) throw new WhatsAppSendError('not_connected', 'The sandbox instance is not connected.', true);
  }
  function find(groupId: string): GroupState {
    connected();
    const group = groups.get(groupId);
    if (group === undefined || !group.members.has(me())) {
      throw new DomainError('not_found', `This number is not in a group ${groupId}.`, { group_id: groupId });
    }
    return group;
  }
  function asAdmin(groupId: string): GroupState {
    const group = find(groupId);
    if (group.members.get(me()) === 'member') throw new DomainError('conflict', 'This number is not an admin of the group.', { reason: 'not_admin' });
    return group;
  }
  const info = (group: GroupState): GroupInfo => ({
    id: group.id,
    subject: group.subject,
    description: group.description,
    owner: personOf(group.owner),
    createdAt: group.createdAt,
    settings: { announce: group.announce, locked: group.locked, ephemeralSeconds: group.ephemeralSeconds, joinApproval: group.joinApproval },
    participants: [...group.members].map(([phone, role]): GroupMember => ({ ...personOf(phone), role })),
  });
  const author = (): GroupPerson => personOf(me());

  function add(group: GroupState, address: string): ParticipantResult {
    const phone = phoneOf(address);
    const jid = jidOf(address);
    if (phone === null || !sandboxNumberExists(phone)) return refused(jid, 'not_on_whatsapp', 404);
    if (group.members.has(phone)) return refused(jid, 'already_participant', 409);
    if (phone.endsWith('3')) return refused(jid, 'privacy', 403);
    if (phone.endsWith('4')) return { jid, status: 'invited', reason: 'privacy', code: 403 };
    group.members.set(phone, 'member');
    return { jid, status: 'added', reason: null, code: null };
  }

  function change(group: GroupState, action: Exclude<GroupParticipantAction, 'add'>, address: string): ParticipantResult {
    const phone = phoneOf(address);
    const jid = jidOf(address);
    if (phone === null || !group.members.has(phone)) return refused(jid, 'not_a_participant', 404);
    if (phone === group.owner && action !== 'promote') return refused(jid, 'not_authorized', 401);
    if (action === 'remove') group.members.delete(phone);
    else if (group.members.get(phone) !== 'superadmin') group.members.set(phone, action === 'promote' ? 'admin' : 'member');
    return { jid, status: action === 'remove' ? 'removed' : action === 'promote' ? 'promoted' : 'demoted', reason: null, code: null };
  }

  function reportDone(groupId: string, action: GroupParticipantAction, results: readonly ParticipantResult[], done: ParticipantResult['status']): void {
    const changed = results.filter((r) => r.status === done).map((r) => personOf(phoneOf(r.jid)!));
    if (changed.length > 0) report({ kind: 'participants', groupId, action, participants: changed, author: author() });
  }

  function newGroup(subject: string, owner: string, id: string = groupJid()): GroupState {
    const group: GroupState = {
      id,
      subject,
      description: null,
      owner,
      createdAt: deps.now(),
      announce: false,
      locked: false,
      ephemeralSeconds: 0,
      joinApproval: false,
      members: new Map([[owner, 'superadmin']]),
      requests: new Map(),
      inviteCode: inviteCode(),
    };
    groups.set(group.id, group);
    return group;
  }

  function participantOf(address: string): string {
    const phone = phoneOf(address);
    if (phone === null) throw new DomainError('invalid_input', 'participant must be an MSISDN or a WhatsApp JID.', { field: 'participant' });
    return phone;
  }

  return {
    async create(subject, participants) {
      connected();
      const group = newGroup(subject, me());
      const results = participants.map((p) => add(group, p));
      report({ kind: 'created', group: info(group), author: author() });
      return { group: info(group), results, inviteCode: group.inviteCode };
    },
    async list() {
      connected();
      return [...groups.values()].filter((g) => g.members.has(me())).map(info);
    },
    async get(groupId) {
      return info(find(groupId));
    },
    async updateParticipants(groupId, action, participants) {
      const group = asAdmin(groupId);
      const results = participants.map((p) => (action === 'add' ? add(group, p) : change(group, action, p)));
      const done = ({ add: 'added', remove: 'removed', promote: 'promoted', demote: 'demoted' } as const)[action];
      reportDone(groupId, action, results, done);
      return results;
    },
    async setPicture(groupId) {
      const group = find(groupId);
      if (group.locked && group.members.get(me()) === 'member') {
        throw new DomainError('conflict', 'Only admins may change the picture of this group.', { reason: 'not_admin' });
      }
    },
    async inviteCode(groupId) {
      return asAdmin(groupId).inviteCode;
    },
    async rotateInvite(groupId) {
      const group = asAdmin(groupId);
      group.inviteCode = inviteCode();
      report({ kind: 'updated', groupId, changes: { inviteRotated: true }, author: author() });
      return group.inviteCode;
    },
    async join(code) {
      connected();
      let group = [...groups.values()].find((g) => g.inviteCode === code);
      if (group === undefined && code.startsWith('SANDBOX')) {
        group = newGroup(`Sandbox group ${code.slice(7) || 'invite'}`, SANDBOX_GROUP_OWNER);
        group.inviteCode = code;
      }
      if (group === undefined) throw new DomainError('not_found', 'No group has this invite code.', { field: 'invite' });
      if (!group.members.has(me())) {
        group.members.set(me(), 'member');
        report({ kind: 'participants', groupId: group.id, action: 'add', participants: [author()], author: author() });
      }
      return group.id;
    },
    async joinRequests(groupId) {
      const group = asAdmin(groupId);
      return [...group.requests].map(([phone, at]): JoinRequest => ({ ...personOf(phone), requestedAt: at, method: 'invite_link' }));
    },
    async answerJoinRequests(groupId, action, participants) {
      const group = asAdmin(groupId);
      const results = participants.map((address): ParticipantResult => {
        const phone = phoneOf(address);
        const jid = jidOf(address);
        if (phone === null || !group.requests.has(phone)) return refused(jid, 'no_join_request', 404);
        group.requests.delete(phone);
        if (action === 'approve') group.members.set(phone, 'member');
        return { jid, status: action === 'approve' ? 'approved' : 'rejected', reason: null, code: null };
      });
      if (action === 'approve') reportDone(groupId, 'add', results, 'approved');
      return results;
    },
    async update(groupId, changes: GroupChanges) {
      const group = find(groupId);
      const adminOnly = changes.announce !== undefined || changes.ephemeralSeconds !== undefined || changes.joinApproval !== undefined || changes.locked !== undefined;
      if ((adminOnly || group.locked) && group.members.get(me()) === 'member') {
        throw new DomainError('conflict', 'This number is not an admin of the group.', { reason: 'not_admin' });
      }
      if (changes.subject !== undefined) group.subject = changes.subject;
      if (changes.description !== undefined) group.description = changes.description === '' ? null : changes.description;
      if (changes.announce !== undefined) group.announce = changes.announce;
      if (changes.locked !== undefined) group.locked = changes.locked;
      if (changes.ephemeralSeconds !== undefined) group.ephemeralSeconds = changes.ephemeralSeconds;
      if (changes.joinApproval !== undefined) group.joinApproval = changes.joinApproval;
      report({ kind: 'updated', groupId, changes, author: author() });
    },
    async leave(groupId) {
      const group = find(groupId);
      group.members.delete(me());
      report({ kind: 'participants', groupId, action: 'remove', participants: [author()], author: author() });
    },
    inject(event) {
      connected();
      const who = personOf(participantOf(event.participant));
      const phone = who.phoneNumber!;
      if (event.type === 'added_to_group') {
        if (event.groupId !== undefined && groups.has(event.groupId)) {
          throw new DomainError('invalid_input', 'A group with this id exists already.', { field: 'group_id' });
        }
        const group = newGroup(event.subject, phone, event.groupId);
        group.members.set(me(), 'member');
        return { kind: 'created', group: info(group), author: who };
      }
      const group = find(event.groupId);
      switch (event.type) {
        case 'join_request':
          group.requests.set(phone, deps.now());
          return { kind: 'join_request', groupId: group.id, participant: who, method: 'invite_link', author: who };
        case 'participant_joined':
          group.members.set(phone, 'member');
          return { kind: 'participants', groupId: group.id, action: 'add', participants: [who], author: who };
        case 'participant_left':
          if (!group.members.has(phone) || phone === me()) {
            throw new DomainError('invalid_input', 'participant is not a member of the group (or is this instance).', { field: 'participant' });
          }
          group.members.delete(phone);
          return { kind: 'participants', groupId: group.id, action: 'remove', participants: [who], author: who };
        case 'subject_changed':
          group.subject = event.subject;
          return { kind: 'updated', groupId: group.id, changes: { subject: event.subject }, author: who };
      }
    },
  };
}
