/*
 * With the real server process and a sandbox instance, over HTTP: with `reject_calls` and `call_reply_text` set,
 * an injected call arrives as `call.offered`, is declined at once (`call.terminated`, rejected by the settings)
 * and the reply goes out as a message (`message.sent`), in that order at the webhook; with the setting off, a
 * call rings until `POST …/calls/:call_id/reject` declines it; a status post goes out and an injected viewer
 * brings `story.viewed`. Bad input is 400/404/409, and a key bound to another instance gets 403.
 */
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';
import { serverRedisUrl } from './support/redis-for-servers.js';

let database: TestDatabase;
let receiver: WebhookReceiver;
let server: ServerProcess;
let api: ApiClient;
let instanceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  server = await startServer(
    testEnv(database.url, serverRedisUrl(), {
      REDIS_PREFIX: uniqueRedisPrefix('calls'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
      MESSAGE_MIN_GAP_MS: '0',
    }),
  );
  api = createApiClient(server.url, await bootstrapKeyOf(server));
  const endpoint = await api.post('/v1/webhook-endpoints', {
    url: `${receiver.url}/events`,
    events: ['call.offered', 'call.terminated', 'message.sent', 'story.viewed'],
  });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  instanceId = await connectSandboxInstance(api, 'calls');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

type Envelope = { event: string; data: Record<string, any> };
const envelopes = () => receiver.received.map((r) => JSON.parse(r.body) as Envelope);

describe('calls, instance settings and status posts on a sandbox instance', () => {
  it('declines a call by the settings and replies to the caller, events in order at the webhook', async () => {
    const base = `/v1/instances/${instanceId}`;
    expect((await api.get(`${base}/settings`)).body).toMatchObject({ reject_calls: false, call_reply_text: null, always_online: false, send_read_receipts: false, updated_at: null });
    const patched = await api.request('PATCH', `${base}/settings`, { reject_calls: true, call_reply_text: 'Calls are not answered here; please write.' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ instance_id: instanceId, reject_calls: true, call_reply_text: 'Calls are not answered here; please write.' });
    expect((await api.get(`${base}/settings`)).body).toMatchObject({ reject_calls: true });
    const audit = await api.get<{ data: Array<{ action: string }> }>(`/v1/audit-events?instance_id=${instanceId}`);
    expect(audit.body.data.map((e) => e.action)).toContain('instance.settings_updated');

    const call = await api.post<{ call_id: string }>(`${base}/sandbox/inbound`, { kind: 'call', from: '4915112345679', is_video: true });
    expect(call.status, JSON.stringify(call.body)).toBe(201);
    const callId = call.body.call_id;
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.sent' && e.data.to === '4915112345679@s.whatsapp.net'), 'the call reply');
    const mine = envelopes().filter((e) => e.data.call_id === callId || (e.event === 'message.sent' && e.data.to === '4915112345679@s.whatsapp.net'));
    expect(mine.map((e) => e.event)).toEqual(['call.offered', 'call.terminated', 'message.sent']);
    expect(mine[0]!.data).toMatchObject({ call_id: callId, from: '4915112345679', phone_number: '4915112345679', lid: '9765432115194@lid', is_video: true, is_group: false });
    expect(mine[1]!.data).toMatchObject({ call_id: callId, reason: 'rejected', rejected_by: 'settings' });

    // The call ended: declining it again is a conflict.
    const again = await api.post(`${base}/calls/${callId}/reject`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'conflict' } });
  });

  it('lets a call ring with the setting off until the API declines it; unknown calls are 404', async () => {
    const base = `/v1/instances/${instanceId}`;
    expect((await api.request('PATCH', `${base}/settings`, { reject_calls: false })).status).toBe(200);
    const call = await api.post<{ call_id: string }>(`${base}/sandbox/inbound`, { kind: 'call', from: '4915112345671' });
    const callId = call.body.call_id;
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'call.offered' && e.data.call_id === callId), 'call.offered');
    const rejected = await api.post(`${base}/calls/${callId}/reject`);
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ call_id: callId, status: 'ended', reason: 'rejected', rejected_by: 'api', from: '4915112345671' });
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'call.terminated' && e.data.call_id === callId), 'call.terminated');
    expect((await api.post(`${base}/calls/NOSUCHCALL/reject`)).status).toBe(404);

    // A call the phone ends (missed) is 409 afterwards.
    const missed = await api.post<{ call_id: string }>(`${base}/sandbox/inbound`, { kind: 'call', from: '4915112345672' });
    const ended = await api.post(`${base}/sandbox/inbound`, { kind: 'call_end', call_id: missed.body.call_id, reason: 'missed' });
    expect(ended.status, JSON.stringify(ended.body)).toBe(201);
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'call.terminated' && e.data.call_id === missed.body.call_id), 'the missed call');
    expect(envelopes().find((e) => e.event === 'call.terminated' && e.data.call_id === missed.body.call_id)!.data).toMatchObject({ reason: 'missed', rejected_by: null });
    expect((await api.post(`${base}/calls/${missed.body.call_id}/reject`)).status).toBe(409);
  });

  it('posts a status and reports who viewed it', async () => {
    const base = `/v1/instances/${instanceId}`;
    const posted = await api.post<{ message_id: string }>(`${base}/status`, {
      body: { type: 'text', text: 'Open until 8 tonight' },
      audience: ['4915112345679', '4915112345671'],
      background_color: '#25D366',
      font: 1,
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    const messageId = posted.body.message_id;
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.sent' && e.data.message_id === messageId), 'the status post sent');
    const sent = envelopes().find((e) => e.event === 'message.sent' && e.data.message_id === messageId)!;
    expect(sent.data).toMatchObject({ to: 'status@broadcast' });
    const viewed = await api.post(`${base}/sandbox/inbound`, { kind: 'story_view', from: '4915112345679', whatsapp_id: sent.data.whatsapp_id });
    expect(viewed.status, JSON.stringify(viewed.body)).toBe(201);
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'story.viewed'), 'story.viewed');
    expect(envelopes().find((e) => e.event === 'story.viewed')!.data).toMatchObject({
      message_id: messageId,
      whatsapp_id: sent.data.whatsapp_id,
      viewer: '4915112345679',
      phone_number: '4915112345679',
      lid: '9765432115194@lid',
      kind: 'read',
    });
  });

  it('refuses bad settings, status posts and injections with 400, and a key bound to another instance with 403', async () => {
    const base = `/v1/instances/${instanceId}`;
    const bad = await Promise.all([
      api.request('PATCH', `${base}/settings`, {}),
      api.request('PATCH', `${base}/settings`, { reject_calls: 'yes' }),
      api.request('PATCH', `${base}/settings`, { dance: true }),
      api.request('PATCH', `${base}/settings`, { call_reply_text: 'x'.repeat(5_000) }),
      api.post(`${base}/status`, { body: { type: 'text', text: 'no audience' } }),
      api.post(`${base}/status`, { body: { type: 'location', latitude: 1, longitude: 2 }, audience: ['4915112345679'] }),
      api.post(`${base}/status`, { body: { type: 'text', text: 'x' }, audience: ['4915112345679'], background_color: 'red' }),
      api.post(`${base}/sandbox/inbound`, { kind: 'call', from: 'not a number' }),
    ]);
    for (const answer of bad) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_input' } });
    }
    expect((await api.post(`${base}/sandbox/inbound`, { kind: 'call_end', call_id: 'NOSUCHCALL', reason: 'ended' })).status).toBe(404);

    const other = await api.post<{ id: string }>('/v1/instances', { name: 'calls-other', kind: 'sandbox' });
    const key = await api.post<{ key: string }>('/v1/api-keys', { instance_id: other.body.id });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const bound = createApiClient(server.url, key.body.key);
    const answers = await Promise.all([
      bound.get(`${base}/settings`),
      bound.request('PATCH', `${base}/settings`, { always_online: true }),
      bound.post(`${base}/calls/ANYCALL/reject`),
      bound.post(`${base}/status`, { body: { type: 'text', text: 'x' }, audience: ['4915112345679'] }),
    ]);
    for (const response of answers) {
      expect(response.status, JSON.stringify(response.body)).toBe(403);
    }
    await until(async () => (await api.get(`/v1/instances/${other.body.id}/settings`)).status === 200, { intervalMs: 100 });
  });
});
