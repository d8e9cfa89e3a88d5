/*
 * With the real server process: on a connected sandbox instance a text
 * message is answered 202 `queued` at once, then a loopback webhook receiver gets `message.sent`,
 * `message.delivered` and `message.read` in that order, each carrying the 202's id as `data.message_id`, and
 * `GET /v1/messages/:id` shows the message `read` with its whole trail.
 *
 * The server runs with its documented defaults for pacing and receipts (MESSAGE_MIN_GAP_MS 1 s, receipts
 * 250 ms apart); only the sandbox's self-pairing is made quick.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { eventsOfMessage } from './support/message-events.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

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
      REDIS_PREFIX: uniqueRedisPrefix('msg-events'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
    }),
  );
  api = createApiClient(server.url, await bootstrapKeyOf(server));
  const endpoint = await api.post('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: ['message.sent', 'message.delivered', 'message.read', 'message.failed'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  instanceId = await connectSandboxInstance(api, 'receipts');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

interface MessageDetail {
  id: string;
  status: string;
  whatsapp_id: string | null;
  to: string;
  client_ref: string | null;
  history: Array<{ status: string; at: string }>;
}

describe('a text message to a sandbox instance', () => {
  it('is queued, then reported sent, delivered and read with the same message_id, and shows its trail', async () => {
    const accepted = await api.post<{ message_id: string; client_ref: string | null; status: string }>(
      `/v1/instances/${instanceId}/messages`,
      { to: '4915112345678', body: { type: 'text', text: 'Hello from the sandbox' }, client_ref: 'order-42' },
    );
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ message_id: expect.stringMatching(/^msg_/), client_ref: 'order-42', status: 'queued' });
    const messageId = accepted.body.message_id;

    await receiver.waitFor(
      (all) => eventsOfMessage(all, messageId).some((e) => e.event === 'message.read'),
      `message.read for ${messageId}`,
    );
    const events = eventsOfMessage(receiver.received, messageId);
    expect(events.map((e) => e.event)).toEqual(['message.sent', 'message.delivered', 'message.read']);
    const whatsappId = events[0]!.data.whatsapp_id;
    expect(whatsappId).toEqual(expect.any(String));
    for (const event of events) {
      expect(event.instance_id).toBe(instanceId);
      expect(event.data).toMatchObject({ message_id: messageId, whatsapp_id: whatsappId, client_ref: 'order-42', to: '4915112345678@s.whatsapp.net' });
    }
    const times = events.map((e) => Date.parse(e.occurred_at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const shown = await api.get<MessageDetail>(`/v1/messages/${messageId}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: messageId, status: 'read', whatsapp_id: whatsappId, client_ref: 'order-42' });
    expect(shown.body.history.map((h) => h.status)).toEqual(['queued', 'sent', 'delivered', 'read']);
    const trail = shown.body.history.map((h) => Date.parse(h.at));
    expect([...trail].sort((a, b) => a - b)).toEqual(trail);
  });
});
