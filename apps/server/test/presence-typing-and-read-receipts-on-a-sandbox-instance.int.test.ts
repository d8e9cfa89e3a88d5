/*
 * With the real server process and a sandbox instance, over HTTP: subscribing to a chat's presence brings
 * `presence.updated` to the webhook; a message sent with `typing_ms` is answered 202 at once and still goes out
 * (that "typing…" precedes it is shown by core's outbox tests); presence and reading a chat are answered 202 and
 * performed in the order accepted, interleaved with the message, which Postgres (the source of truth) shows.
 */
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { queryDatabase } from './support/query-database.js';
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
      REDIS_PREFIX: uniqueRedisPrefix('presence'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
      MESSAGE_MIN_GAP_MS: '0',
    }),
  );
  api = createApiClient(server.url, await bootstrapKeyOf(server));
  const endpoint = await api.post('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: ['presence.updated', 'message.sent', 'action.failed'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  instanceId = await connectSandboxInstance(api, 'presence');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

const envelopes = () => receiver.received.map((r) => JSON.parse(r.body) as { event: string; data: Record<string, any> });

describe('presence and read receipts on a sandbox instance', () => {
  it('reports a subscribed chat, types before a message, and reads the chat, in the order accepted', async () => {
    const base = `/v1/instances/${instanceId}`;
    const subscribed = await api.post(`${base}/presence/subscriptions`, { chat_id: '4915112345679' });
    expect(subscribed.status).toBe(202);
    const typing = await api.post(`${base}/presence`, { state: 'typing', chat_id: '4915112345679' });
    const sent = await api.post<{ message_id: string }>(`${base}/messages`, { to: '4915112345679', body: { type: 'text', text: 'Hi!' }, typing_ms: 200 });
    expect(sent.status).toBe(202);
    const read = await api.post(`${base}/chats/4915112345679/read`);
    expect([typing.status, read.status]).toEqual([202, 202]);

    await receiver.waitFor(() => envelopes().some((e) => e.event === 'presence.updated'), 'presence.updated');
    expect(envelopes().find((e) => e.event === 'presence.updated')!.data).toEqual({
      chat_id: '4915112345679@s.whatsapp.net',
      participant: '4915112345679',
      phone_number: '4915112345679',
      lid: '9765432115194@lid',
      state: 'available',
      last_seen: null,
    });
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.sent' && e.data.message_id === sent.body.message_id), 'message.sent');
    await until(async () => (await queryDatabase(database.url, `SELECT 1 FROM messages WHERE status = 'queued'`)).length === 0);
    const outbox = await queryDatabase<{ id: string; kind: string; status: string }>(
      database.url,
      `SELECT id, COALESCE(body -> 'action' ->> 'type', body ->> 'type') AS kind, status FROM messages WHERE instance_id = $1 ORDER BY seq`,
      [instanceId],
    );
    expect(outbox.map((row) => [row.kind, row.status])).toEqual([
      ['subscribe_presence', 'sent'],
      ['presence', 'sent'],
      ['text', 'sent'],
      ['read', 'sent'],
    ]);
    expect(envelopes().filter((e) => e.event === 'action.failed')).toEqual([]);
  });

  it('refuses typing_ms past 10 s, a presence state that does not exist, and typing without a chat, staging nothing', async () => {
    const base = `/v1/instances/${instanceId}`;
    const answers = await Promise.all([
      api.post(`${base}/messages`, { to: '4915112345679', body: { type: 'text', text: 'x' }, typing_ms: 60_000 }),
      api.post(`${base}/presence`, { state: 'sleeping' }),
      api.post(`${base}/presence`, { state: 'typing' }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_input' } });
    }
  });
});
