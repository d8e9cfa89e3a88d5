/*
 * With the real server process and a sandbox instance, over HTTP: an inbound message opens a chat with one
 * unread; archiving and pinning it go through the outbox (202) and arrive at the webhook as `chat.archived`
 * then `chat.pinned`; the archived filter finds it; a send moves its last activity; a mute in the past, an empty change and a malformed chat
 * id are 400, an unknown chat 404; another customer gets 404 and a key bound to another instance 403.
 */
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { createCustomerWithKey } from './support/customer-with-key.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';
import { serverRedisUrl } from './support/redis-for-servers.js';

let database: TestDatabase;
let receiver: WebhookReceiver;
let server: ServerProcess;
let env: Record<string, string>;
let api: ApiClient;
let instanceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  env = testEnv(database.url, serverRedisUrl(), {
    REDIS_PREFIX: uniqueRedisPrefix('chats'),
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    SANDBOX_AUTO_SCAN_MS: '50',
    MESSAGE_MIN_GAP_MS: '0',
  });
  server = await startServer(env);
  api = createApiClient(server.url, await bootstrapKeyOf(server));
  const endpoint = await api.post('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: ['chat.archived', 'chat.pinned', 'chat.updated', 'action.failed'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  instanceId = await connectSandboxInstance(api, 'chats');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

interface Envelope {
  event: string;
  data: Record<string, any>;
}
const envelopes = (): Envelope[] => receiver.received.map((r) => JSON.parse(r.body) as Envelope);
const CHAT = '4915112345678@s.whatsapp.net';

describe('chats on a sandbox instance', () => {
  it('opens a chat on an inbound message, then archives and pins it with chat.archived and chat.pinned in order', async () => {
    const base = `/v1/instances/${instanceId}`;
    const inbound = await api.post(`${base}/sandbox/inbound`, { from: '4915112345678', push_name: 'Alice', body: { type: 'text', text: 'Hello' } });
    expect(inbound.status, JSON.stringify(inbound.body)).toBeLessThan(300);
    let chats: Array<Record<string, any>> = [];
    await until(
      async () => {
        chats = (await api.get<{ data: Array<Record<string, any>> }>(`${base}/chats`)).body.data;
        return chats.length > 0;
      },
      { intervalMs: 100, message: () => 'the inbound message opened no chat' },
    );
    expect(chats).toEqual([expect.objectContaining({ chat_id: CHAT, unread_count: 1, unread: true, archived: false, pinned: false, is_group: false })]);

    const archived = await api.request<{ action_id: string; status: string }>('PATCH', `${base}/chats/4915112345678`, { archived: true });
    expect(archived.status, JSON.stringify(archived.body)).toBe(202);
    expect(archived.body).toMatchObject({ action_id: expect.stringMatching(/^act_/), status: 'queued' });
    const pinned = await api.request('PATCH', `${base}/chats/${CHAT}`, { pinned: true });
    expect(pinned.status).toBe(202);

    await receiver.waitFor(() => envelopes().some((e) => e.event === 'chat.pinned'), 'chat.pinned');
    expect(envelopes().map((e) => [e.event, e.data.chat_id, e.data.archived, e.data.pinned])).toEqual([
      ['chat.archived', CHAT, true, false],
      ['chat.pinned', CHAT, true, true],
    ]);

    const onlyArchived = await api.get<{ data: Array<{ chat_id: string }> }>(`${base}/chats?archived=true`);
    expect(onlyArchived.body.data.map((c) => c.chat_id)).toEqual([CHAT]);
    const notArchived = await api.get<{ data: unknown[] }>(`${base}/chats?archived=false`);
    expect(notArchived.body.data).toEqual([]);
    const one = await api.get(`${base}/chats/4915112345678`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ chat_id: CHAT, archived: true, pinned: true, unread_count: 1 });
  });

  it('moves a chat’s last activity when the instance sends to it, without touching its unread count', async () => {
    const base = `/v1/instances/${instanceId}`;
    const before = (await api.get<{ last_activity_at: string }>(`${base}/chats/4915112345678`)).body.last_activity_at;
    const sent = await api.post(`${base}/messages`, { to: '4915112345678', body: { type: 'text', text: 'Hi Alice' } });
    expect(sent.status).toBe(202);
    let chat: Record<string, any> = {};
    await until(
      async () => {
        chat = (await api.get(`${base}/chats/4915112345678`)).body;
        return Date.parse(chat.last_activity_at) > Date.parse(before);
      },
      { intervalMs: 100, message: () => `last_activity_at stayed ${before}` },
    );
    expect(chat).toMatchObject({ unread_count: 1, archived: true });
  });

  it('refuses a mute in the past, an empty change, a bad chat id and an unknown chat in the error envelope', async () => {
    const base = `/v1/instances/${instanceId}`;
    const past = await api.request('PATCH', `${base}/chats/4915112345678`, { muted_until: '2020-01-01T00:00:00Z' });
    const empty = await api.request('PATCH', `${base}/chats/4915112345678`, {});
    const bad = await api.get(`${base}/chats/not-a-chat`);
    const badFilter = await api.get(`${base}/chats?archived=maybe`);
    for (const answer of [past, empty, bad, badFilter]) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_input' } });
    }
    const unknown = [
      await api.get(`${base}/chats/4915199999999`),
      await api.request('PATCH', `${base}/chats/4915199999999`, { pinned: true }),
      await api.request('DELETE', `${base}/chats/4915199999999`),
    ];
    for (const answer of unknown) {
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it("answers another customer's chat with 404 and a key bound to another instance with 403", async () => {
    const base = `/v1/instances/${instanceId}`;
    const stranger = await createCustomerWithKey(env, 'Stranger');
    const theirs = createApiClient(server.url, stranger.key);
    for (const answer of [
      await theirs.get(`${base}/chats`),
      await theirs.get(`${base}/chats/4915112345678`),
      await theirs.request('PATCH', `${base}/chats/4915112345678`, { archived: false }),
      await theirs.request('DELETE', `${base}/chats/4915112345678`),
    ]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ error: { code: 'not_found' } });
    }
    const other = await api.post<{ id: string }>('/v1/instances', { name: 'other', kind: 'sandbox' });
    const key = await api.post<{ key: string }>('/v1/api-keys', { instance_id: other.body.id });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const bound = createApiClient(server.url, key.body.key);
    for (const answer of [
      await bound.get(`${base}/chats`),
      await bound.get(`${base}/chats/4915112345678`),
      await bound.request('PATCH', `${base}/chats/4915112345678`, { archived: false }),
      await bound.request('DELETE', `${base}/chats/4915112345678`),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: { code: 'forbidden' } });
    }
  });

  it('deletes a chat through the outbox; it is gone once the phone reports it', async () => {
    const base = `/v1/instances/${instanceId}`;
    const deleted = await api.request('DELETE', `${base}/chats/4915112345678`);
    expect(deleted.status).toBe(202);
    await until(async () => (await api.get(`${base}/chats/4915112345678`)).status === 404, { intervalMs: 100, message: () => 'the chat is still kept' });
    expect(envelopes().filter((e) => e.event === 'action.failed')).toEqual([]);
  });
});
