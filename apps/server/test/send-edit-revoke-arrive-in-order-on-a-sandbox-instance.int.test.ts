/*
 * With the real server process and a sandbox instance, over HTTP only: a text message is sent, edited and
 * revoked, and the webhook gets `message.sent`, `message.edited` and `message.revoked` in that order, all naming
 * the 202's `msg_` id; a forward goes out as a new message; editing an image is 409, and so is forwarding an
 * image sent inline (its bytes are gone once sent); a key bound to another instance gets 404/403.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
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
      REDIS_PREFIX: uniqueRedisPrefix('edit-revoke'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
      MESSAGE_MIN_GAP_MS: '0',
    }),
  );
  api = createApiClient(server.url, await bootstrapKeyOf(server));
  const endpoint = await api.post('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: ['message.sent', 'message.edited', 'message.revoked', 'action.failed'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  instanceId = await connectSandboxInstance(api, 'edit-revoke');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

const envelopes = () => receiver.received.map((r) => JSON.parse(r.body) as { event: string; data: Record<string, any> });

describe('send, edit, revoke', () => {
  it('reach the webhook as message.sent, message.edited, message.revoked, in that order', async () => {
    const sent = await api.post<{ message_id: string }>(`/v1/instances/${instanceId}/messages`, { to: '4915112345678', body: { type: 'text', text: 'Helo' } });
    expect(sent.status).toBe(202);
    const id = sent.body.message_id;
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.sent' && e.data.message_id === id), 'message.sent');
    const edited = await api.request('PATCH', `/v1/messages/${id}`, { text: 'Hello' });
    expect(edited.status).toBe(202);
    const revoked = await api.request('DELETE', `/v1/messages/${id}`);
    expect(revoked.status).toBe(202);
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.revoked'), 'message.revoked');
    const mine = envelopes().filter((e) => e.data.message_id === id);
    expect(mine.map((e) => e.event)).toEqual(['message.sent', 'message.edited', 'message.revoked']);
    expect(mine[1]!.data).toMatchObject({ text: 'Hello', from_me: true, chat_id: '4915112345678@s.whatsapp.net', whatsapp_id: mine[0]!.data.whatsapp_id });
    expect(envelopes().filter((e) => e.event === 'action.failed')).toEqual([]);

    const forwarded = await api.post<{ message_id: string }>(`/v1/messages/${id}/forward`, { to: '4915112345679' });
    expect(forwarded.status).toBe(202);
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.sent' && e.data.message_id === forwarded.body.message_id), 'the forward sent');
    expect(envelopes().find((e) => e.data.message_id === forwarded.body.message_id)!.data).toMatchObject({ to: '4915112345679@s.whatsapp.net' });
  });

  it("refuses to edit an image (409); a key bound to another instance sees none of its messages (404) and may not act on it (403)", async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
    const image = await api.post<{ message_id: string }>(`/v1/instances/${instanceId}/messages`, {
      to: '4915112345678',
      body: { type: 'image', media_base64: png, mime_type: 'image/png' },
    });
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.sent' && e.data.message_id === image.body.message_id), 'the image sent');
    const edit = await api.request('PATCH', `/v1/messages/${image.body.message_id}`, { text: 'no' });
    expect(edit.status).toBe(409);
    expect(edit.body).toMatchObject({ error: { code: 'conflict' } });
    // Sent inline, the image's bytes are no longer stored: it cannot be forwarded.
    const forwardImage = await api.post(`/v1/messages/${image.body.message_id}/forward`, { to: '4915112345679' });
    expect(forwardImage.status).toBe(409);

    const other = await api.post<{ id: string }>('/v1/instances', { name: 'other', kind: 'sandbox' });
    const key = await api.post<{ key: string }>('/v1/api-keys', { instance_id: other.body.id });
    const bound = createApiClient(server.url, key.body.key);
    const statuses = [
      await bound.request('PATCH', `/v1/messages/${image.body.message_id}`, { text: 'x' }),
      await bound.request('DELETE', `/v1/messages/${image.body.message_id}`),
      await bound.post(`/v1/instances/${instanceId}/presence`, { state: 'available' }),
      await bound.post(`/v1/instances/${instanceId}/presence/subscriptions`, { chat_id: '4915112345678' }),
      await bound.post(`/v1/instances/${instanceId}/chats/4915112345678/read`),
    ].map((response) => response.status);
    expect(statuses).toEqual([404, 404, 403, 403, 403]);
  });

  it('sends a poll and view-once media, and refuses a poll with one option or thirteen', async () => {
    const base = `/v1/instances/${instanceId}/messages`;
    const poll = await api.post<{ message_id: string }>(base, { to: '4915112345678', body: { type: 'poll', question: 'Lunch?', options: ['Pizza', 'Sushi'], selectable_count: 1 } });
    const once = await api.post<{ message_id: string }>(base, {
      to: '4915112345678',
      body: { type: 'image', media_base64: Buffer.from('89504e470d0a1a0a', 'hex').toString('base64'), mime_type: 'image/png', view_once: true },
    });
    expect([poll.status, once.status]).toEqual([202, 202]);
    for (const id of [poll.body.message_id, once.body.message_id]) {
      await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.sent' && e.data.message_id === id), `message.sent for ${id}`);
    }
    const options = (n: number) => Array.from({ length: n }, (_, i) => `option ${i}`);
    for (const count of [1, 13]) {
      const refused = await api.post(base, { to: '4915112345678', body: { type: 'poll', question: 'Q', options: options(count) } });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: 'invalid_input' } });
    }
  });
});
