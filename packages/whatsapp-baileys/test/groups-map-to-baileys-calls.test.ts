/*
 * The session's groups against a fake socket answering like Baileys 7 (rc14): `groupCreate` answers with
 * group metadata (per-person errors lost), `groupParticipantsUpdate` with `{status, jid}` per person ('200' or
 * WhatsApp's `error` attr), a missing group is a Boom 404 `item-not-found`, `groupFetchAllParticipating` also
 * emits `groups.update` with every group's full metadata, and the group events carry the shapes of
 * process-message.js (participants as `{id, phoneNumber?, lid?, admin}`).
 */
import { isDomainError, isWhatsAppSendError, type GroupEvent, type SessionEvent, type WhatsAppSession } from '@whatisup/core';
import type { GroupMetadata } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '@whatisup/test-infra';
import { toGroupEvents } from '../src/baileys-group-events.js';
import type { FakeBaileysSocket } from './fake-baileys-socket.js';
import { createHarness, makeDataDir } from './session-harness.js';

let data: Awaited<ReturnType<typeof makeDataDir>>;
let harness: ReturnType<typeof createHarness>;
let session: WhatsAppSession;
let socket: FakeBaileysSocket;

const ME = '4915112345678@s.whatsapp.net';
const ANN = '4915100000001@s.whatsapp.net';
const BOB = '4915100000002@s.whatsapp.net';
const EVE = '4915100000003@s.whatsapp.net';

/** A LID-addressed group as `extractGroupMetadata` returns it: ids are LIDs, phone numbers ride along. */
const LID_GROUP: GroupMetadata = {
  id: '120363401234567890@g.us',
  notify: undefined,
  addressingMode: 'lid' as GroupMetadata['addressingMode'],
  subject: 'Bakery crew',
  subjectOwner: '201234567890123@lid',
  subjectOwnerPn: '4915100000009@s.whatsapp.net',
  subjectTime: 1_777_000_100,
  size: 3,
  creation: 1_777_000_000,
  owner: '201234567890123@lid',
  ownerPn: '4915100000009@s.whatsapp.net',
  owner_country_code: 'DE',
  desc: 'Bread, every day',
  descId: 'A1B2C3',
  descOwner: '201234567890123@lid',
  descTime: 1_777_000_200,
  linkedParent: undefined,
  restrict: true,
  announce: false,
  isCommunity: false,
  isCommunityAnnounce: false,
  joinApprovalMode: true,
  memberAddMode: false,
  participants: [
    { id: '201234567890123@lid', phoneNumber: '4915100000009@s.whatsapp.net', lid: undefined, admin: 'superadmin' },
    { id: '123456789012345@lid', phoneNumber: ME, lid: undefined, admin: 'admin' },
    { id: '987654321098765@lid', phoneNumber: undefined, lid: undefined, admin: null },
  ],
  ephemeralDuration: 604_800,
};

beforeEach(async () => {
  data = await makeDataDir();
  harness = createHarness(data.dir);
  session = harness.open();
  await session.connect();
  await until(() => harness.fake.sockets.length === 1);
  socket = harness.fake.last();
  socket.open('4915112345678:3@s.whatsapp.net');
  await until(() => session.status === 'connected');
});
afterEach(async () => {
  await session.close();
  await data.cleanup();
});

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isDomainError(error) ? error.code : isWhatsAppSendError(error) ? error.code : String(error)),
  );
const groupEvents = (): GroupEvent[] => harness.events.flatMap((e: SessionEvent) => (e.type === 'group' ? [e.event] : []));

describe('the Baileys groups', () => {
  it('creates a group, reading membership back: whoever WhatsApp left out is refused', async () => {
    socket.notAddable.add(EVE);
    const created = await session.groups.create('Team', ['4915100000001', BOB, EVE]);
    expect(socket.calls.slice(0, 3)).toEqual([
      `groupCreate:Team:${ANN},${BOB},${EVE}`,
      `groupMetadata:${created.group.id}`,
      `groupInviteCode:${created.group.id}`,
    ]);
    expect(created.results).toEqual([
      { jid: ANN, status: 'added', reason: null, code: null },
      { jid: BOB, status: 'added', reason: null, code: null },
      { jid: EVE, status: 'refused', reason: 'not_added', code: null },
    ]);
    expect(created.inviteCode).toBe('INVITE0');
    expect(created.group.participants.map((p) => [p.phoneNumber, p.role])).toEqual([
      ['4915112345678', 'superadmin'],
      ['4915100000001', 'member'],
      ['4915100000002', 'member'],
    ]);
  });

  it('maps a LID-addressed group: both addresses per participant, roles, settings and the owner', async () => {
    socket.groups.set(LID_GROUP.id, LID_GROUP);
    expect(await session.groups.get(LID_GROUP.id)).toEqual({
      id: LID_GROUP.id,
      subject: 'Bakery crew',
      description: 'Bread, every day',
      owner: { jid: '201234567890123@lid', phoneNumber: '4915100000009', lid: '201234567890123@lid' },
      createdAt: new Date(1_777_000_000_000),
      settings: { announce: false, locked: true, ephemeralSeconds: 604_800, joinApproval: true },
      participants: [
        { jid: '201234567890123@lid', phoneNumber: '4915100000009', lid: '201234567890123@lid', role: 'superadmin' },
        { jid: '123456789012345@lid', phoneNumber: '4915112345678', lid: '123456789012345@lid', role: 'admin' },
        { jid: '987654321098765@lid', phoneNumber: null, lid: '987654321098765@lid', role: 'member' },
      ],
    });
    expect(await errorOf(session.groups.get('120363000000000000@g.us'))).toBe('not_found');
  });

  it('lists every group without reporting the full-metadata groups.update Baileys emits after the fetch', async () => {
    socket.groups.set(LID_GROUP.id, LID_GROUP);
    expect((await session.groups.list()).map((g) => g.subject)).toEqual(['Bakery crew']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(groupEvents()).toEqual([]);
  });

  it('changes participants with a result per person from WhatsApp’s status codes', async () => {
    socket.groups.set(LID_GROUP.id, LID_GROUP);
    socket.participantStatus.set(BOB, '403');
    socket.participantStatus.set(EVE, '409');
    expect(await session.groups.updateParticipants(LID_GROUP.id, 'add', [ANN, BOB, EVE])).toEqual([
      { jid: ANN, status: 'added', reason: null, code: null },
      { jid: BOB, status: 'refused', reason: 'privacy', code: 403 },
      { jid: EVE, status: 'refused', reason: 'already_participant', code: 409 },
    ]);
    socket.participantStatus.set(BOB, '404');
    expect(await session.groups.updateParticipants(LID_GROUP.id, 'promote', [ANN, BOB])).toEqual([
      { jid: ANN, status: 'promoted', reason: null, code: null },
      { jid: BOB, status: 'refused', reason: 'not_a_participant', code: 404 },
    ]);
    expect(socket.calls.at(-1)).toBe(`groupParticipantsUpdate:${LID_GROUP.id}:promote:${ANN},${BOB}`);
  });

  it('applies settings changes as the matching Baileys calls, and leaves, through perform', async () => {
    socket.groups.set(LID_GROUP.id, LID_GROUP);
    await session.perform({
      type: 'group_update',
      groupId: LID_GROUP.id,
      changes: { subject: 'New', description: null, announce: true, locked: false, ephemeralSeconds: 86_400, joinApproval: false },
    });
    expect(socket.calls).toEqual([
      `groupUpdateSubject:${LID_GROUP.id}:New`,
      `groupUpdateDescription:${LID_GROUP.id}:<delete>`,
      `groupSettingUpdate:${LID_GROUP.id}:announcement`,
      `groupSettingUpdate:${LID_GROUP.id}:unlocked`,
      `groupToggleEphemeral:${LID_GROUP.id}:86400`,
      `groupJoinApprovalMode:${LID_GROUP.id}:off`,
    ]);
    await session.perform({ type: 'group_leave', groupId: LID_GROUP.id });
    expect(socket.calls.at(-1)).toBe(`groupLeave:${LID_GROUP.id}`);
    // A group this number is not in will not change by retrying: a permanent failure.
    const refused = await session.perform({ type: 'group_leave', groupId: LID_GROUP.id }).catch((error: unknown) => error);
    expect(isWhatsAppSendError(refused) && !refused.retryable).toBe(true);
  });

  it('reads, rotates and accepts invites, lists and answers join requests, and sets the picture', async () => {
    const created = await session.groups.create('Team', [ANN]);
    expect(await session.groups.inviteCode(created.group.id)).toBe('INVITE0');
    expect(await session.groups.rotateInvite(created.group.id)).toBe('INVITE1');
    expect(await session.groups.join('INVITE1')).toBe(created.group.id);
    expect(await errorOf(session.groups.join('INVITE0'))).toBe('not_found');
    socket.joinRequests.set(created.group.id, [{ jid: '555555555555555@lid', phone_number: '4915100000005@s.whatsapp.net', request_method: 'invite_link', request_time: '1777000300' }]);
    expect(await session.groups.joinRequests(created.group.id)).toEqual([
      { jid: '555555555555555@lid', phoneNumber: '4915100000005', lid: '555555555555555@lid', requestedAt: new Date(1_777_000_300_000), method: 'invite_link' },
    ]);
    socket.participantStatus.set(BOB, '404');
    expect(await session.groups.answerJoinRequests(created.group.id, 'approve', ['555555555555555@lid', BOB])).toEqual([
      { jid: '555555555555555@lid', status: 'approved', reason: null, code: null },
      { jid: BOB, status: 'refused', reason: 'no_join_request', code: 404 },
    ]);
    await session.groups.setPicture(created.group.id, { data: Uint8Array.from([0xff, 0xd8, 0xff]), mimeType: 'image/jpeg' });
    expect(socket.pictures[0]?.jid).toBe(created.group.id);
  });

  it('refuses with not_connected once the connection is down', async () => {
    socket.close(408);
    await until(() => session.status !== 'connected');
    expect(await errorOf(session.groups.list())).toBe('not_connected');
  });
});

describe("Baileys' group events", () => {
  it('report created, updated, participant and join-request events with both addresses', async () => {
    socket.emit('groups.upsert', [{ ...LID_GROUP, author: '201234567890123@lid', authorPn: '4915100000009@s.whatsapp.net' }]);
    socket.emit('groups.update', [{ id: LID_GROUP.id, subject: 'Renamed', author: '201234567890123@lid', authorPn: '4915100000009@s.whatsapp.net' }]);
    socket.emit('groups.update', [{ id: LID_GROUP.id, inviteCode: 'NEWCODE', author: undefined }]);
    socket.emit('group-participants.update', {
      id: LID_GROUP.id,
      author: '201234567890123@lid',
      authorPn: '4915100000009@s.whatsapp.net',
      participants: [{ id: '987654321098765@lid', phoneNumber: '4915100000007@s.whatsapp.net', admin: null }],
      action: 'promote',
    });
    socket.emit('group-participants.update', { id: LID_GROUP.id, author: '201234567890123@lid', participants: [{ id: ANN }], action: 'modify' });
    socket.emit('group.join-request', {
      id: LID_GROUP.id,
      author: '555555555555555@lid',
      participant: '555555555555555@lid',
      participantPn: '4915100000005@s.whatsapp.net',
      action: 'created',
      method: 'invite_link',
    });
    await until(() => groupEvents().length === 5);
    const author = { jid: '201234567890123@lid', phoneNumber: '4915100000009', lid: '201234567890123@lid' };
    expect(groupEvents().map((e) => e.kind)).toEqual(['created', 'updated', 'updated', 'participants', 'join_request']);
    expect(groupEvents()[0]).toMatchObject({ kind: 'created', author, group: { id: LID_GROUP.id, subject: 'Bakery crew' } });
    expect(groupEvents()[1]).toEqual({ kind: 'updated', groupId: LID_GROUP.id, changes: { subject: 'Renamed' }, author });
    expect(groupEvents()[2]).toEqual({ kind: 'updated', groupId: LID_GROUP.id, changes: { inviteRotated: true }, author: null });
    expect(groupEvents()[3]).toEqual({
      kind: 'participants',
      groupId: LID_GROUP.id,
      action: 'promote',
      participants: [{ jid: '987654321098765@lid', phoneNumber: '4915100000007', lid: '987654321098765@lid' }],
      author,
    });
    expect(groupEvents()[4]).toMatchObject({ kind: 'join_request', participant: { phoneNumber: '4915100000005', lid: '555555555555555@lid' }, method: 'invite_link' });
  });

  it('skip full metadata refreshes and revoked join requests', () => {
    expect(toGroupEvents('groups.update', [LID_GROUP])).toEqual([]);
    expect(
      toGroupEvents('group.join-request', { id: LID_GROUP.id, author: 'x@lid', participant: '1@lid', action: 'revoked', method: 'invite_link' }),
    ).toEqual([]);
  });
});
