import { afterEach, describe, expect, it } from 'vitest';
import { isDomainError, isWhatsAppSendError, type GroupEvent, type SandboxSession, type SessionEvent } from '@whatisup/core';
import { until } from '@whatisup/test-infra';
import { createInMemorySandboxCredentialStore } from './sandbox-credential-store.js';
import { createSandboxSessionFactory } from './sandbox-session-factory.js';
import { sandboxPhoneNumber } from './sandbox-phone-number.js';

const open: SandboxSession[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((session) => session.close()));
});

async function connected() {
  const factory = createSandboxSessionFactory({
    credentials: createInMemorySandboxCredentialStore(),
    timings: { autoScanMs: null, resumeDelayMs: 1, receiptDelayMs: 2 },
  });
  const events: SessionEvent[] = [];
  const session = factory.createSession({ instanceId: 'inst_groups', listener: (event) => events.push(event) });
  open.push(session);
  await session.connect();
  await session.scan();
  const groupEvents = (): GroupEvent[] => events.flatMap((e) => (e.type === 'group' ? [e.event] : []));
  return { session, events, groupEvents };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isDomainError(error) || isWhatsAppSendError(error) ? error.code : String(error)),
  );

describe('the sandbox groups', () => {
  it('adds numbers by the rules: 0 is not on WhatsApp, 3 refuses (privacy), 4 is invited, others are added', async () => {
    const { session, groupEvents } = await connected();
    const created = await session.groups.create('Team', ['4915112345671', '4915112345673', '4915112345674', '4915112345670']);
    expect(created.results.map((r) => [r.status, r.reason, r.code])).toEqual([
      ['added', null, null],
      ['refused', 'privacy', 403],
      ['invited', 'privacy', 403],
      ['refused', 'not_on_whatsapp', 404],
    ]);
    expect(created.group.participants.map((p) => [p.phoneNumber, p.role])).toEqual([
      [sandboxPhoneNumber('inst_groups'), 'superadmin'],
      ['4915112345671', 'member'],
    ]);
    await until(() => groupEvents().length === 1);
    expect(groupEvents()[0]).toMatchObject({ kind: 'created', group: { id: created.group.id } });
  });

  it('reports every change a moment later, in order, and keeps the state for the session', async () => {
    const { session, groupEvents } = await connected();
    const { group } = await session.groups.create('Team', ['4915112345671', '4915112345672']);
    await session.perform({ type: 'group_update', groupId: group.id, changes: { subject: 'Renamed' } });
    await session.groups.updateParticipants(group.id, 'promote', ['4915112345671']);
    await session.groups.updateParticipants(group.id, 'remove', ['4915112345672']);
    await session.groups.rotateInvite(group.id);
    await until(() => groupEvents().length === 5);
    expect(groupEvents().map((e) => (e.kind === 'participants' ? e.action : e.kind))).toEqual(['created', 'updated', 'promote', 'remove', 'updated']);
    const now = await session.groups.get(group.id);
    expect([now.subject, now.participants.map((p) => p.role)]).toEqual(['Renamed', ['superadmin', 'admin']]);
  });

  it('refuses changing someone not in the group, the creator, and unknown groups; admin-only changes as a member', async () => {
    const { session } = await connected();
    const { group } = await session.groups.create('Team', ['4915112345671']);
    const results = await session.groups.updateParticipants(group.id, 'demote', ['4915112345679', sandboxPhoneNumber('inst_groups')]);
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ['refused', 'not_a_participant'],
      ['refused', 'not_authorized'],
    ]);
    expect(await codeOf(session.groups.get('120363999999999999@g.us'))).toBe('not_found');
    const joined = await session.groups.join('SANDBOXclub');
    expect(await codeOf(session.groups.rotateInvite(joined))).toBe('conflict');
    const refused = await session.perform({ type: 'group_update', groupId: joined, changes: { announce: true } }).catch((error: unknown) => error);
    expect(isWhatsAppSendError(refused) && !refused.retryable).toBe(true);
    expect(await codeOf(session.groups.join('NOSUCHCODE'))).toBe('not_found');
  });

  it('plays injected group events: a join request listed until answered, someone joining and leaving', async () => {
    const { session, groupEvents } = await connected();
    const { group } = await session.groups.create('Team', ['4915112345671']);
    await session.perform({ type: 'group_update', groupId: group.id, changes: { joinApproval: true } });
    await session.injectGroupEvent({ type: 'join_request', groupId: group.id, participant: '4915112345675' });
    expect((await session.groups.joinRequests(group.id)).map((r) => r.phoneNumber)).toEqual(['4915112345675']);
    await session.groups.answerJoinRequests(group.id, 'reject', ['4915112345675']);
    expect(await session.groups.joinRequests(group.id)).toEqual([]);
    await session.injectGroupEvent({ type: 'participant_left', groupId: group.id, participant: '4915112345671' });
    const added = await session.injectGroupEvent({ type: 'added_to_group', participant: '4915112345679', subject: 'Their group' });
    expect(added).toMatchObject({ kind: 'created', author: { phoneNumber: '4915112345679' } });
    await until(() => groupEvents().length === 5);
    expect(await codeOf(session.injectGroupEvent({ type: 'participant_joined', groupId: '120363999999999999@g.us', participant: '4915112345671' }))).toBe('not_found');
  });

  it('refuses everything while not connected', async () => {
    const { session } = await connected();
    await session.close();
    expect(await codeOf(session.groups.list())).toBe('not_connected');
  });
});
