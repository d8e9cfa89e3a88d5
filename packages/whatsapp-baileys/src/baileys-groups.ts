/*
 * The session port's groups on a Baileys socket (`groupCreate`, `groupMetadata`, `groupFetchAllParticipating`,
 * `groupParticipantsUpdate`, `groupUpdateSubject`, `groupUpdateDescription`, `groupSettingUpdate`,
 * `groupToggleEphemeral`, `groupJoinApprovalMode`, `groupInviteCode`, `groupRevokeInvite`, `groupAcceptInvite`,
 * `groupLeave`, `groupRequestParticipantsList`, `groupRequestParticipantsUpdate`, `updateProfilePicture`).
 *
 * WhatsApp answers a participant change with one `<participant jid error?>` node per person: no `error` is
 * success, else the code says why (403 their privacy settings, 404 not on WhatsApp or not in the group, 408
 * they left recently, 409 already in it, 401 not allowed). `groupCreate` loses those per-person codes
 * (Baileys reads the answer as group metadata), so after creating, membership is read back once: whoever is
 * not in the group is `refused` with reason `not_added`. Group-level refusals: 404 (no such group, or this
 * number is not in it) → not_found; 401/403 on a change → conflict `not_admin`.
 */
import {
  DomainError,
  WhatsAppSendError,
  type GroupChanges,
  type GroupParticipantAction,
  type JoinRequest,
  type ParticipantResult,
  type WhatsAppGroups,
} from '@whatisup/core';
import { jidNormalizedUser } from '@whiskeysockets/baileys';
import type { BaileysSocket } from './baileys-socket.js';
import { statusCodeOf } from './reconnect-policy.js';
import { toGroupInfo, toGroupPerson } from './to-group-info.js';
import { toWhatsAppJid } from './to-whatsapp-jid.js';

const CONNECTION_CODES = new Set([408, 428, 440, 515]);

const REASONS: Readonly<Record<number, string>> = {
  401: 'not_authorized',
  403: 'privacy',
  408: 'recently_left',
  409: 'already_participant',
  500: 'group_full',
};

const DONE: Readonly<Record<GroupParticipantAction, ParticipantResult['status']>> = {
  add: 'added',
  remove: 'removed',
  promote: 'promoted',
  demote: 'demoted',
};

function groupJid(groupId: string): string {
  if (!/^[\d-]+@g\.us$/.test(groupId)) throw new DomainError('invalid_input', 'Not a group id.', { field: 'group_id' });
  return groupId;
}

function personJid(address: string): string {
  const jid = toWhatsAppJid(address);
  if (jid === null || jid.endsWith('@g.us')) throw new DomainError('invalid_input', `${address} is not a phone number, phone JID or LID.`, { field: 'participants' });
  return jid;
}

/** Baileys' failure of a group call as the port's errors; `change`: a change (401/403 mean "not an admin"). */
function translate(error: unknown, groupId: string | null, change: boolean): never {
  if (error instanceof WhatsAppSendError || error instanceof DomainError) throw error;
  const code = statusCodeOf(error);
  if (code !== undefined && CONNECTION_CODES.has(code)) throw new WhatsAppSendError('not_connected', 'The WhatsApp connection closed.', true);
  if (groupId !== null && (code === 404 || (!change && (code === 401 || code === 403)))) {
    throw new DomainError('not_found', `This number is not in a group ${groupId}.`, { group_id: groupId });
  }
  if (change && (code === 401 || code === 403)) throw new DomainError('conflict', 'This number is not an admin of the group.', { reason: 'not_admin' });
  throw new WhatsAppSendError('send_failed', 'WhatsApp failed to answer.', true);
}

/** One result per person asked for, in that order, from WhatsApp's `{status, jid}` answers. */
function toResults(
  asked: readonly string[],
  answers: ReadonlyArray<{ readonly status: string; readonly jid?: string | undefined }>,
  done: ParticipantResult['status'],
  notFoundReason: string,
): ParticipantResult[] {
  const byJid = new Map(answers.filter((a) => a.jid).map((a) => [jidNormalizedUser(a.jid!), a]));
  return asked.map((jid, i): ParticipantResult => {
    const answer = byJid.get(jid) ?? (answers.length === asked.length ? answers[i] : undefined);
    if (answer === undefined) return { jid, status: 'refused', reason: 'no_answer', code: null };
    const code = Number(answer.status);
    if (code === 200) return { jid, status: done, reason: null, code: null };
    return { jid, status: 'refused', reason: code === 404 ? notFoundReason : (REASONS[code] ?? `whatsapp_${answer.status}`), code: Number.isFinite(code) ? code : null };
  });
}

export function createBaileysGroups(socket: () => BaileysSocket | null): WhatsAppGroups {
  async function on<T>(groupId: string | null, change: boolean, call: (s: BaileysSocket) => Promise<T>): Promise<T> {
    const current = socket();
    if (current === null) throw new WhatsAppSendError('not_connected', 'The WhatsApp connection is not open.', true);
    try {
      return await call(current);
    } catch (error) {
      return translate(error, groupId, change);
    }
  }

  async function applyChanges(s: BaileysSocket, jid: string, changes: GroupChanges): Promise<void> {
    if (changes.subject !== undefined) await s.groupUpdateSubject(jid, changes.subject);
    if (changes.description !== undefined) await s.groupUpdateDescription(jid, changes.description || undefined);
    if (changes.announce !== undefined) await s.groupSettingUpdate(jid, changes.announce ? 'announcement' : 'not_announcement');
    if (changes.locked !== undefined) await s.groupSettingUpdate(jid, changes.locked ? 'locked' : 'unlocked');
    if (changes.ephemeralSeconds !== undefined) await s.groupToggleEphemeral(jid, changes.ephemeralSeconds);
    if (changes.joinApproval !== undefined) await s.groupJoinApprovalMode(jid, changes.joinApproval ? 'on' : 'off');
  }

  return {
    create: (subject, participants) => {
      const asked = participants.map(personJid);
      return on(null, true, async (s) => {
        const created = await s.groupCreate(subject, asked);
        const members = await s.groupMetadata(created.id).catch(() => created);
        const group = toGroupInfo(members);
        const inGroup = new Set(group.participants.flatMap((p) => [p.jid, p.phoneNumber === null ? null : `${p.phoneNumber}@s.whatsapp.net`, p.lid]));
        const results = asked.map((jid): ParticipantResult =>
          inGroup.has(jid) ? { jid, status: 'added', reason: null, code: null } : { jid, status: 'refused', reason: 'not_added', code: null },
        );
        const inviteCode = (await s.groupInviteCode(created.id).catch(() => undefined)) ?? null;
        return { group, results, inviteCode };
      });
    },
    list: () => on(null, false, async (s) => Object.values(await s.groupFetchAllParticipating()).map(toGroupInfo)),
    get: (groupId) => on(groupId, false, async (s) => toGroupInfo(await s.groupMetadata(groupJid(groupId)))),
    updateParticipants: (groupId, action, participants) => {
      const asked = participants.map(personJid);
      return on(groupId, true, async (s) =>
        toResults(asked, await s.groupParticipantsUpdate(groupJid(groupId), asked, action), DONE[action], action === 'add' ? 'not_on_whatsapp' : 'not_a_participant'),
      );
    },
    setPicture: (groupId, image) => on(groupId, true, (s) => s.updateProfilePicture(groupJid(groupId), Buffer.from(image.data))),
    inviteCode: (groupId) =>
      on(groupId, true, async (s) => {
        const code = await s.groupInviteCode(groupJid(groupId));
        if (!code) throw new WhatsAppSendError('send_failed', 'WhatsApp gave no invite code.', true);
        return code;
      }),
    rotateInvite: (groupId) =>
      on(groupId, true, async (s) => {
        const code = await s.groupRevokeInvite(groupJid(groupId));
        if (!code) throw new WhatsAppSendError('send_failed', 'WhatsApp gave no new invite code.', true);
        return code;
      }),
    join: (inviteCode) =>
      on(null, false, async (s) => {
        let joined: string | undefined;
        try {
          joined = await s.groupAcceptInvite(inviteCode);
        } catch (error) {
          const code = statusCodeOf(error);
          if (code === 404 || code === 406 || code === 410) throw new DomainError('not_found', 'No group has this invite code.', { field: 'invite' });
          throw error;
        }
        if (!joined) throw new DomainError('not_found', 'No group has this invite code.', { field: 'invite' });
        return jidNormalizedUser(joined);
      }),
    joinRequests: (groupId) =>
      on(groupId, true, async (s) =>
        (await s.groupRequestParticipantsList(groupJid(groupId))).flatMap((attrs): JoinRequest[] => {
          const person = toGroupPerson({ id: attrs['jid'], phoneNumber: attrs['phone_number'] });
          if (person === null) return [];
          const at = Number(attrs['request_time']);
          return [{ ...person, requestedAt: Number.isFinite(at) && at > 0 ? new Date(at * 1000) : null, method: attrs['request_method'] ?? null }];
        }),
      ),
    answerJoinRequests: (groupId, action, participants) => {
      const asked = participants.map(personJid);
      return on(groupId, true, async (s) =>
        toResults(asked, await s.groupRequestParticipantsUpdate(groupJid(groupId), asked, action), action === 'approve' ? 'approved' : 'rejected', 'no_join_request'),
      );
    },
    update: (groupId, changes) => on(groupId, true, (s) => applyChanges(s, groupJid(groupId), changes)),
    leave: (groupId) => on(groupId, true, (s) => s.groupLeave(groupJid(groupId))),
  };
}
