/*
 * With the real server process and a sandbox instance, over HTTP only: a number check answers `exists`; an
 * inbound message from a LID-only contact reaches the webhook with the LID and no phone number, then
 * `contact.resolved` names the number, and `GET …/lids/:lid` answers it; block goes through the outbox (202)
 * and shows in the blocklist; a number the sandbox never answers about is 504; a key bound to another
 * instance gets 403 on every contact route.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { until } from '@whatisup/test-infra';
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
      REDIS_PREFIX: uniqueRedisPrefix('contacts'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
      WHATSAPP_LOOKUP_TIMEOUT_MS: '500',
    }),
  );
  api = createApiClient(server.url, await bootstrapKeyOf(server));
  const endpoint = await api.post('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: ['message.received', 'contact.resolved'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  instanceId = await connectSandboxInstance(api, 'contacts');
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

describe('contacts on a sandbox instance', () => {
  it('checks numbers by the sandbox rules', async () => {
    const check = await api.post(`/v1/instances/${instanceId}/contacts/check`, { phone_numbers: ['4915112345671', '4915112345670'] });
    expect(check.status).toBe(200);
    expect(check.body).toEqual({
      data: [
        { input: '4915112345671', exists: true, jid: '4915112345671@s.whatsapp.net', lid: '1765432115194@lid' },
        { input: '4915112345670', exists: false, jid: null, lid: null },
      ],
    });
  });

  it('reports a LID-only sender with its LID, then contact.resolved with the number, then resolves the LID', async () => {
    const lid = '8765432115194@lid';
    const injected = await api.post(`/v1/instances/${instanceId}/sandbox/inbound`, { from: lid, body: { type: 'text', text: 'who am I?' } });
    expect(injected.status, JSON.stringify(injected.body)).toBe(201);
    const mine = () => envelopes().filter((e) => e.data.lid === lid || e.data.author?.lid === lid);
    // Two deliveries side by side: they may arrive in either order (webhooks are not ordered).
    const arrived = (event: string) => mine().some((e) => e.event === event);
    await receiver.waitFor(() => arrived('message.received') && arrived('contact.resolved'), 'message.received and contact.resolved');
    expect(mine().map((e) => e.event).sort()).toEqual(['contact.resolved', 'message.received']);
    expect(mine().find((e) => e.event === 'message.received')!.data).toMatchObject({ from: lid, author: { phone_number: null, lid } });
    expect(mine().find((e) => e.event === 'contact.resolved')!.data).toEqual({ lid, phone_number: '4915112345678', jid: '4915112345678@s.whatsapp.net' });
    expect((await api.get(`/v1/instances/${instanceId}/lids/${lid}`)).body).toEqual({ lid, phone_number: '4915112345678' });

    const again = await api.post(`/v1/instances/${instanceId}/sandbox/inbound`, { from: lid, body: { type: 'text', text: 'me again' } });
    await receiver.waitFor(() => envelopes().some((e) => e.data.message_id === again.body.message_id), 'the second message');
    const second = envelopes().find((e) => e.data.message_id === again.body.message_id)!;
    expect(second.data.author).toEqual({ phone_number: '4915112345678', lid });
  });

  it('blocks through the outbox and lists the blocklist; a silent WhatsApp is 504', async () => {
    const blocked = await api.post(`/v1/instances/${instanceId}/contacts/4915112345679/block`);
    expect(blocked.status).toBe(202);
    expect(blocked.body).toEqual({ action_id: expect.stringMatching(/^act_/), status: 'queued' });
    await until(async () => ((await api.get<{ data: unknown[] }>(`/v1/instances/${instanceId}/blocklist`)).body.data.length === 1));
    expect((await api.get(`/v1/instances/${instanceId}/blocklist`)).body).toEqual({
      data: [{ jid: '4915112345679@s.whatsapp.net', phone_number: '4915112345679', lid: null }],
    });
    const silent = await api.get(`/v1/instances/${instanceId}/contacts/4915112347777`);
    expect(silent.status).toBe(504);
    expect(silent.body).toMatchObject({ error: { code: 'upstream_timeout' } });
  });

  it('refuses a key bound to another instance with 403 on each contact route', async () => {
    const other = await api.post<{ id: string }>('/v1/instances', { name: 'other', kind: 'sandbox' });
    const key = await api.post<{ key: string }>('/v1/api-keys', { instance_id: other.body.id });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const bound = createApiClient(server.url, key.body.key);
    const base = `/v1/instances/${instanceId}`;
    const calls = [
      bound.post(`${base}/contacts/check`, { phone_numbers: ['4915112345678'] }),
      bound.get(`${base}/contacts/4915112345678`),
      bound.get(`${base}/contacts/4915112345678/profile-picture`),
      bound.get(`${base}/contacts/4915112345679/business-profile`),
      bound.post(`${base}/contacts/4915112345678/block`),
      bound.request('DELETE', `${base}/contacts/4915112345678/block`),
      bound.get(`${base}/blocklist`),
      bound.get(`${base}/lids/8765432115194@lid`),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: { code: 'forbidden' } });
    }
  });
});
