/*
 * With the real server process and a sandbox instance, over HTTP only: a group is created with three members,
 * one of whom refuses (its result says so); it is renamed (outbox, 202), one member promoted, one removed, and
 * the invite rotated; the webhook gets group.created, group.updated, group.admin_promoted,
 * group.participant_removed and group.updated (invite_rotated) in that order. A repeated Idempotency-Key returns
 * the first group; bad input is 400/404/422 in the envelope; an injected join request reaches the webhook and the
 * event stream; a
 * key bound to another instance gets 403 on every group route.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { envelopeOf, openEventStream } from './support/sse-reader.js';

let database: TestDatabase;
let receiver: WebhookReceiver;
let server: ServerProcess;
let api: ApiClient;
let key: string;
let instanceId: string;

const GROUP_EVENTS = [
  'group.created',
  'group.updated',
  'group.participant_added',
  'group.participant_removed',
  'group.admin_promoted',
  'group.admin_demoted',
  'group.join_requested',
];

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  server = await startServer(
    testEnv(database.url, serverRedisUrl(), {
      REDIS_PREFIX: uniqueRedisPrefix('groups'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
      SANDBOX_RECEIPT_DELAY_MS: '20',
      MESSAGE_MIN_GAP_MS: '0',
    }),
  );
  key = await bootstrapKeyOf(server);
  api = createApiClient(server.url, key);
  const endpoint = await api.post('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: [...GROUP_EVENTS, 'action.failed'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  instanceId = await connectSandboxInstance(api, 'groups');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

type Envelope = { event: string; data: Record<string, any> };
const envelopes = () => receiver.received.map((r) => JSON.parse(r.body) as Envelope);
const arrived = (event: string, match: (data: Record<string, any>) => boolean = () => true) =>
  receiver.waitFor(() => envelopes().some((e) => e.event === event && match(e.data)), event);

describe('groups on a sandbox instance', () => {
  let groupId: string;

  it('create, rename, promote, remove and rotate the invite, with the group.* events in that order', async () => {
    const base = `/v1/instances/${instanceId}/groups`;
    const created = await api.post<{ group_id: string; invite_code: string; participants: Array<{ jid: string; status: string; reason: string | null }> }>(base, {
      subject: 'Bakery crew',
      participants: ['4915112345671', '4915112345672', '4915112345673'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    groupId = created.body.group_id;
    expect(created.body.participants).toEqual([
      { jid: '4915112345671@s.whatsapp.net', status: 'added', reason: null, code: null },
      { jid: '4915112345672@s.whatsapp.net', status: 'added', reason: null, code: null },
      { jid: '4915112345673@s.whatsapp.net', status: 'refused', reason: 'privacy', code: 403 },
    ]);
    await arrived('group.created', (d) => d.group_id === groupId);

    const renamed = await api.request('PATCH', `${base}/${groupId}`, { subject: 'Bread & co' });
    expect(renamed.status).toBe(202);
    await arrived('group.updated', (d) => d.changes.subject === 'Bread & co');

    const promoted = await api.post<{ participants: Array<{ status: string }> }>(`${base}/${groupId}/participants`, { action: 'promote', participants: ['4915112345671'] });
    expect([promoted.status, promoted.body.participants.map((p) => p.status)]).toEqual([200, ['promoted']]);
    await arrived('group.admin_promoted');

    const removed = await api.post<{ participants: Array<{ status: string }> }>(`${base}/${groupId}/participants`, { action: 'remove', participants: ['4915112345672'] });
    expect([removed.status, removed.body.participants.map((p) => p.status)]).toEqual([200, ['removed']]);
    await arrived('group.participant_removed');

    const rotated = await api.post<{ invite_code: string; invite_url: string }>(`${base}/${groupId}/invite/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.invite_code).not.toBe(created.body.invite_code);
    expect(rotated.body.invite_url).toBe(`https://chat.whatsapp.com/${rotated.body.invite_code}`);
    await arrived('group.updated', (d) => d.changes.invite_rotated === true);

    const mine = envelopes().filter((e) => e.data.group_id === groupId);
    expect(mine.map((e) => e.event)).toEqual(['group.created', 'group.updated', 'group.admin_promoted', 'group.participant_removed', 'group.updated']);
    expect(mine[0]!.data).toMatchObject({ subject: 'Bakery crew', participants: [{ role: 'superadmin' }, { phone_number: '4915112345671', role: 'member' }, { phone_number: '4915112345672' }] });
    expect(mine[2]!.data).toMatchObject({ participants: [{ jid: '4915112345671@s.whatsapp.net', phone_number: '4915112345671', lid: '1765432115194@lid' }] });

    const group = await api.get<{ subject: string; participants: Array<{ phone_number: string; role: string }> }>(`${base}/${groupId}`);
    expect(group.status).toBe(200);
    expect(group.body.subject).toBe('Bread & co');
    expect(group.body.participants.map((p) => [p.phone_number, p.role]).slice(1)).toEqual([['4915112345671', 'admin']]);
    const list = await api.get<{ data: Array<{ group_id: string }>; next_cursor: string | null }>(`${base}?limit=10`);
    expect([list.status, list.body.data.map((g) => g.group_id), list.body.next_cursor]).toEqual([200, [groupId], null]);
    expect(envelopes().filter((e) => e.event === 'action.failed')).toEqual([]);
  });

  it('returns the first group for a repeated Idempotency-Key instead of creating a second one', async () => {
    const create = () =>
      fetch(`${server.url}/v1/instances/${instanceId}/groups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'create-once' },
        body: JSON.stringify({ subject: 'Once', participants: ['4915112345671'] }),
      });
    const first = await create();
    const again = await create();
    expect([first.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
    expect(((await again.json()) as { group_id: string }).group_id).toBe(((await first.json()) as { group_id: string }).group_id);
  });

  it('refuses bad input in the envelope: no participants, 1,025, an unknown group, a picture that is no image', async () => {
    const base = `/v1/instances/${instanceId}/groups`;
    const none = await api.post(base, { subject: 'x', participants: [] });
    const tooMany = await api.post(base, { subject: 'x', participants: Array.from({ length: 1025 }, (_, i) => `4915100${String(i).padStart(6, '0')}`) });
    const unknown = await api.get(`${base}/120363000000000000@g.us`);
    const picture = await api.request('PUT', `${base}/${groupId}/picture`, { media_base64: Buffer.from('not an image').toString('base64') });
    const badAction = await api.post(`${base}/${groupId}/participants`, { action: 'kick', participants: ['4915112345671'] });
    expect([none.status, tooMany.status, unknown.status, picture.status, badAction.status]).toEqual([400, 400, 404, 422, 400]);
    expect(picture.body).toMatchObject({ error: { code: 'invalid_media' } });
    expect(none.body).toMatchObject({ error: { code: 'invalid_input' } });
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const set = await api.request('PUT', `${base}/${groupId}/picture`, { media_base64: png.toString('base64') });
    expect(set.status).toBe(204);
    const promoteStranger = await api.post<{ participants: Array<{ status: string; reason: string }> }>(`${base}/${groupId}/participants`, {
      action: 'promote',
      participants: ['4915112345679'],
    });
    expect(promoteStranger.body.participants).toMatchObject([{ status: 'refused', reason: 'not_a_participant' }]);
  });

  it('reports an injected join request on the webhook and the event stream, lists it, and approves it', async () => {
    const stream = await openEventStream(`${server.url}/v1/events?instance_id=${instanceId}&events=group.join_requested,group.participant_added`, { authorization: `Bearer ${key}` });
    expect(stream.status).toBe(200);
    const injected = await api.post(`/v1/instances/${instanceId}/sandbox/group-events`, { type: 'join_request', group_id: groupId, participant: '4915112345675' });
    expect(injected.status, JSON.stringify(injected.body)).toBe(201);
    await arrived('group.join_requested', (d) => d.participant.phone_number === '4915112345675');
    const frame = await stream.waitFor((event) => event.event === 'group.join_requested', 'group.join_requested on the stream');
    expect(envelopeOf<Record<string, any>>(frame).data).toMatchObject({ group_id: groupId, participant: { phone_number: '4915112345675' }, method: 'invite_link' });
    await stream.close();
    const requests = await api.get<{ data: Array<{ phone_number: string }> }>(`/v1/instances/${instanceId}/groups/${groupId}/join-requests`);
    expect(requests.body.data.map((r) => r.phone_number)).toEqual(['4915112345675']);
    const approved = await api.post<{ participants: Array<{ status: string }> }>(`/v1/instances/${instanceId}/groups/${groupId}/join-requests`, {
      action: 'approve',
      participants: ['4915112345675'],
    });
    expect(approved.body.participants.map((p) => p.status)).toEqual(['approved']);
    await arrived('group.participant_added', (d) => d.participants[0].phone_number === '4915112345675');
  });

  it('answers 403 to a key bound to another instance on every group route', async () => {
    const other = await api.post<{ id: string }>('/v1/instances', { name: 'other', kind: 'sandbox' });
    const bound = createApiClient(server.url, (await api.post<{ key: string }>('/v1/api-keys', { instance_id: other.body.id })).body.key);
    const base = `/v1/instances/${instanceId}/groups`;
    const statuses = [
      await bound.post(base, { subject: 'x', participants: ['4915112345671'] }),
      await bound.get(base),
      await bound.get(`${base}/${groupId}`),
      await bound.request('PATCH', `${base}/${groupId}`, { subject: 'x' }),
      await bound.request('PUT', `${base}/${groupId}/picture`, { media_url: 'https://example.com/a.png' }),
      await bound.post(`${base}/${groupId}/participants`, { action: 'add', participants: ['4915112345671'] }),
      await bound.get(`${base}/${groupId}/invite`),
      await bound.post(`${base}/${groupId}/invite/rotate`),
      await bound.post(`${base}/join`, { invite: 'SANDBOXx1' }),
      await bound.post(`${base}/${groupId}/leave`),
      await bound.get(`${base}/${groupId}/join-requests`),
      await bound.post(`${base}/${groupId}/join-requests`, { action: 'reject', participants: ['4915112345671'] }),
    ].map((response) => response.status);
    expect(statuses).toEqual(Array(12).fill(403));
  });
});
