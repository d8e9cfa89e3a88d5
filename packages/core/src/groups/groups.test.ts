import { describe, expect, it } from 'vitest';
import { createMessageUseCases, createOutboxDrainer } from '../messages/index.js';
import { createGroupEventHandler } from './handle-group-event.js';
import { createGroupUseCases } from './create-group-use-cases.js';
import { codeOf } from '../testing/use-case-harness.js';
import { createRecordingQueue } from '../testing/message-test-harness.js';
import { createSessionHarness } from '../testing/session-manager-harness.js';
import { aCustomer, anInstance, aPrincipal } from '../testing/fixtures.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** A connected sandbox instance (the in-memory simulated phone) with the group use cases and group events. */
async function setup() {
  const h = createSessionHarness();
  let onGroupEvent!: ReturnType<typeof createGroupEventHandler>;
  const manager = h.startManager({ lookupDeadlineMs: 50, onGroupEvent: (instance, event) => onGroupEvent(instance, event) });
  const learned: string[] = [];
  onGroupEvent = createGroupEventHandler({ uow: h.uow, events: h.recorder, clock: h.clock, learn: async (_instance, m) => void learned.push(`${m.lid}=${m.phoneNumber}`) });
  const messages = createMessageUseCases({ uow: h.uow, clock: h.clock, outboxQueue: createRecordingQueue(), outbound: { checkUrl: async () => { throw new Error('unused'); } } });
  const downloads: string[] = [];
  const groups = createGroupUseCases({
    uow: h.uow,
    clock: h.clock,
    lookups: manager,
    stageOutboxAction: messages.stageOutboxAction,
    outbound: {
      download: async ({ url }) => {
        downloads.push(url);
        return url.endsWith('.png')
          ? { kind: 'downloaded', status: 200, contentType: 'image/png', body: PNG, durationMs: 1 }
          : { kind: 'downloaded', status: 200, contentType: 'image/png', body: Buffer.from('<html>not an image</html>'), durationMs: 1 };
      },
    },
  });
  const instance = await h.newInstance('sandbox');
  await manager.connect(h.principal, instance.id);
  await manager.sandboxScan(h.principal, instance.id);
  await h.settled();
  const drain = createOutboxDrainer({ uow: h.uow, clock: h.clock, events: h.recorder, sender: manager, outbound: { download: async () => { throw new Error('unused'); } }, options: { minGapMs: 0 } });
  const groupEvents = () => h.recorder.envelopes().filter((e) => e.event.startsWith('group.'));
  return { h, manager, groups, instance, drain, groupEvents, downloads, learned };
}

const create = (body: unknown) => ({ body });

describe('groups on a sandbox instance', () => {
  it('creates a group with a result per participant by the sandbox rules and reports group.created', async () => {
    const { h, groups, instance, groupEvents, learned } = await setup();
    const { group, created } = await groups.createGroup(h.principal, {
      instanceId: instance.id,
      ...create({ subject: 'Team', participants: ['4915112345671', '4915112345673', '4915112345674', '4915112345670'], description: 'Hello' }),
    });
    expect(created).toBe(true);
    expect(group.group_id).toMatch(/^\d+@g\.us$/);
    expect(group.participants).toEqual([
      { jid: '4915112345671@s.whatsapp.net', status: 'added', reason: null, code: null },
      { jid: '4915112345673@s.whatsapp.net', status: 'refused', reason: 'privacy', code: 403 },
      { jid: '4915112345674@s.whatsapp.net', status: 'invited', reason: 'privacy', code: 403 },
      { jid: '4915112345670@s.whatsapp.net', status: 'refused', reason: 'not_on_whatsapp', code: 404 },
    ]);
    await h.settled();
    expect(groupEvents().map((e) => e.event)).toEqual(['group.created', 'group.updated']);
    expect(learned).toContain('1765432115194@lid=4915112345671');
    const info = await groups.getGroup(h.principal, { instanceId: instance.id, groupId: group.group_id.replace('@g.us', '') });
    expect(info.description).toBe('Hello');
    expect(info.participants.map((p) => [p.phoneNumber, p.role, p.lid])).toEqual([
      ['9990000000001', 'superadmin', '1000000000999@lid'],
      ['4915112345671', 'member', '1765432115194@lid'],
    ]);
  });

  it('refuses no participants, 1,025 of them and malformed ones before asking WhatsApp', async () => {
    const { h, groups, instance } = await setup();
    const ask = (participants: unknown) => codeOf(groups.createGroup(h.principal, { instanceId: instance.id, body: { subject: 'x', participants } }));
    expect(await ask([])).toBe('invalid_input');
    expect(await ask(Array.from({ length: 1025 }, (_, i) => `4915100${String(i).padStart(6, '0')}`))).toBe('invalid_input');
    expect(await ask(['+4915112345678'])).toBe('invalid_input');
    expect(await codeOf(groups.createGroup(h.principal, { instanceId: instance.id, body: { subject: ' ', participants: ['4915112345671'] } }))).toBe('invalid_input');
  });

  it('returns the first group for a repeated Idempotency-Key and refuses the key for another request', async () => {
    const { h, groups, instance } = await setup();
    const body = { subject: 'Once', participants: ['4915112345671'] };
    const first = await groups.createGroup(h.principal, { instanceId: instance.id, body, idempotencyKey: 'create-1' });
    const again = await groups.createGroup(h.principal, { instanceId: instance.id, body, idempotencyKey: 'create-1' });
    expect(again).toEqual({ group: first.group, created: false });
    expect((await groups.listGroups(h.principal, { instanceId: instance.id })).data).toHaveLength(1);
    expect(await codeOf(groups.createGroup(h.principal, { instanceId: instance.id, body: { ...body, subject: 'Twice' }, idempotencyKey: 'create-1' }))).toBe(
      'idempotency_conflict',
    );
  });

  it('changes participants with a result each: promoting a non-member is refused with its reason', async () => {
    const { h, groups, instance, groupEvents } = await setup();
    const { group } = await groups.createGroup(h.principal, { instanceId: instance.id, body: { subject: 'T', participants: ['4915112345671', '4915112345672'] } });
    const change = (action: string, participants: string[]) =>
      groups.updateGroupParticipants(h.principal, { instanceId: instance.id, groupId: group.group_id, body: { action, participants } });
    expect((await change('promote', ['4915112345671', '4915112345679'])).results).toEqual([
      { jid: '4915112345671@s.whatsapp.net', status: 'promoted', reason: null, code: null },
      { jid: '4915112345679@s.whatsapp.net', status: 'refused', reason: 'not_a_participant', code: 404 },
    ]);
    expect((await change('remove', ['4915112345672'])).results[0]?.status).toBe('removed');
    expect((await change('add', ['4915112345672'])).results[0]?.status).toBe('added');
    await h.settled();
    expect(groupEvents().map((e) => e.event)).toEqual(['group.created', 'group.admin_promoted', 'group.participant_removed', 'group.participant_added']);
    expect(groupEvents()[1]?.data).toMatchObject({ group_id: group.group_id, participants: [{ phone_number: '4915112345671' }] });
    expect(await codeOf(change('promote', []))).toBe('invalid_input');
    expect(await codeOf(groups.getGroup(h.principal, { instanceId: instance.id, groupId: '120363000000000000@g.us' }))).toBe('not_found');
  });

  it('changes settings and leaves through the outbox, reporting group.updated and the removal', async () => {
    const { h, groups, instance, drain, groupEvents } = await setup();
    const { group } = await groups.createGroup(h.principal, { instanceId: instance.id, body: { subject: 'T', participants: ['4915112345671'] } });
    const staged = await groups.updateGroup(h.principal, { instanceId: instance.id, groupId: group.group_id, body: { subject: 'Renamed', announce: true, ephemeral_seconds: 86400 } });
    expect(staged.action.id).toMatch(/^act_/);
    expect(await codeOf(groups.updateGroup(h.principal, { instanceId: instance.id, groupId: group.group_id, body: {} }))).toBe('invalid_input');
    expect(await codeOf(groups.updateGroup(h.principal, { instanceId: instance.id, groupId: group.group_id, body: { ephemeral_seconds: 5 } }))).toBe('invalid_input');
    while ((await drain(instance.id)) !== undefined);
    await h.settled();
    const info = await groups.getGroup(h.principal, { instanceId: instance.id, groupId: group.group_id });
    expect([info.subject, info.settings]).toEqual(['Renamed', { announce: true, locked: false, ephemeralSeconds: 86400, joinApproval: false }]);
    expect(groupEvents().at(-1)?.data).toMatchObject({ changes: { subject: 'Renamed', announce: true, ephemeral_seconds: 86400 } });
    await groups.leaveGroup(h.principal, { instanceId: instance.id, groupId: group.group_id });
    while ((await drain(instance.id)) !== undefined);
    expect(await codeOf(groups.getGroup(h.principal, { instanceId: instance.id, groupId: group.group_id }))).toBe('not_found');
  });

  it('reads and rotates the invite, joins by code or link, and answers join requests', async () => {
    const { h, manager, groups, instance, groupEvents } = await setup();
    const { group } = await groups.createGroup(h.principal, { instanceId: instance.id, body: { subject: 'T', participants: ['4915112345671'] } });
    const first = await groups.getGroupInvite(h.principal, { instanceId: instance.id, groupId: group.group_id, rotate: false });
    expect(first.code).toBe(group.invite_code);
    const rotated = await groups.getGroupInvite(h.principal, { instanceId: instance.id, groupId: group.group_id, rotate: true });
    expect(rotated.code).not.toBe(first.code);
    expect(await codeOf(groups.joinGroup(h.principal, { instanceId: instance.id, body: { invite: 'UNKNOWNCODE123' } }))).toBe('not_found');
    const joined = await groups.joinGroup(h.principal, { instanceId: instance.id, body: { invite: 'https://chat.whatsapp.com/SANDBOXclub' } });
    expect((await groups.getGroup(h.principal, { instanceId: instance.id, groupId: joined.groupId })).participants.find((p) => p.phoneNumber === '9990000000001')?.role).toBe('member');
    expect(await codeOf(groups.getGroupInvite(h.principal, { instanceId: instance.id, groupId: joined.groupId, rotate: false }))).toBe('conflict');

    await h.settled();
    await manager.sandboxGroupEvent(h.principal, instance.id, { type: 'join_request', groupId: group.group_id, participant: '4915112345675' });
    expect(await groups.listJoinRequests(h.principal, { instanceId: instance.id, groupId: group.group_id })).toMatchObject([{ phoneNumber: '4915112345675', method: 'invite_link' }]);
    const answered = await groups.answerJoinRequests(h.principal, { instanceId: instance.id, groupId: group.group_id, body: { action: 'approve', participants: ['4915112345675', '4915112345676'] } });
    expect(answered.results.map((r) => r.status)).toEqual(['approved', 'refused']);
    await h.settled();
    expect(groupEvents().map((e) => e.event)).toEqual(['group.created', 'group.updated', 'group.participant_added', 'group.join_requested', 'group.participant_added']);
  });

  it('sets a picture from base64 or a URL, and refuses bytes that are no image with invalid_media', async () => {
    const { h, groups, instance, downloads } = await setup();
    const { group } = await groups.createGroup(h.principal, { instanceId: instance.id, body: { subject: 'T', participants: ['4915112345671'] } });
    const set = (body: unknown) => groups.setGroupPicture(h.principal, { instanceId: instance.id, groupId: group.group_id, body });
    await set({ media_base64: PNG.toString('base64') });
    await set({ media_url: 'https://img.example.com/a.png' });
    expect(await codeOf(set({ media_url: 'https://img.example.com/a.html' }))).toBe('invalid_media');
    expect(await codeOf(set({ media_base64: Buffer.from('hello').toString('base64') }))).toBe('invalid_media');
    expect(await codeOf(set({}))).toBe('invalid_input');
    const bound = aPrincipal(h.customer.id, { instanceId: (await h.newInstance('sandbox')).id });
    expect(await codeOf(groups.setGroupPicture(bound, { instanceId: instance.id, groupId: group.group_id, body: { media_url: 'https://img.example.com/b.png' } }))).toBe('forbidden');
    expect(downloads).toEqual(['https://img.example.com/a.png', 'https://img.example.com/a.html']);
  });

  it("answers not_found for another customer's instance, forbidden for a key bound to another, not_connected when down", async () => {
    const { h, groups, instance } = await setup();
    const stranger = aPrincipal((await h.uow.repos.customers.create(aCustomer())).id);
    expect(await codeOf(groups.listGroups(stranger, { instanceId: instance.id }))).toBe('not_found');
    const bound = aPrincipal(h.customer.id, { instanceId: (await h.newInstance('sandbox')).id });
    expect(await codeOf(groups.listGroups(bound, { instanceId: instance.id }))).toBe('forbidden');
    const idle = await h.uow.repos.instances.create(anInstance(h.customer.id, { kind: 'sandbox', status: 'connected' }));
    expect(await codeOf(groups.createGroup(h.principal, { instanceId: idle.id, body: { subject: 'x', participants: ['4915112345671'] }, idempotencyKey: 'k' }))).toBe('not_connected');
  });

  it('pages the group list newest first, from a position that survives the last group of a page leaving', async () => {
    const { h, groups, instance, drain } = await setup();
    for (const subject of ['a', 'b', 'c']) {
      await groups.createGroup(h.principal, { instanceId: instance.id, body: { subject, participants: ['4915112345671'] } });
      h.clock.advance(1000);
    }
    const first = await groups.listGroups(h.principal, { instanceId: instance.id, limit: 2 });
    expect(first.data.map((g) => g.subject)).toEqual(['c', 'b']);
    await groups.leaveGroup(h.principal, { instanceId: instance.id, groupId: first.data[1]!.id });
    while ((await drain(instance.id)) !== undefined);
    const second = await groups.listGroups(h.principal, { instanceId: instance.id, limit: 2, cursor: first.nextCursor });
    expect([second.data.map((g) => g.subject), second.nextCursor]).toEqual([['a'], null]);
    expect(await codeOf(groups.listGroups(h.principal, { instanceId: instance.id, cursor: '120363000000000000@g.us' }))).toBe('invalid_input');
  });
});
