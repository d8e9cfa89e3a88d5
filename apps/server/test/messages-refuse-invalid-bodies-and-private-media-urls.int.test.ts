/*
 * Invalid send bodies and the media SSRF rule, with the real server process:
 * - invalid send bodies (an unknown type, no `to`, a `to` with letters, a 10 MB text) are refused with 400 or
 *   413 in the error envelope, and nothing is staged;
 * - a `media_url` that reaches a private, link-local/metadata or loopback address is refused with 422
 *   `unsafe_url`, with the same reason a webhook endpoint with that URL gets: one outbound policy. The server
 *   has no WEBHOOK_ALLOW_CIDRS, so loopback is refused too. A public address is accepted (the control that
 *   shows the refusals are about the address, not the request).
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';

let database: TestDatabase;
let server: ServerProcess;
let api: ApiClient;
let key: string;
let instanceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startServer(
    testEnv(database.url, serverRedisUrl(), { REDIS_PREFIX: uniqueRedisPrefix('msg-refuse'), SANDBOX_AUTO_SCAN_MS: '50' }),
  );
  key = await bootstrapKeyOf(server);
  api = createApiClient(server.url, key);
  instanceId = await connectSandboxInstance(api, 'refusals');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

interface ErrorEnvelope {
  error: { code: string; message: string; details?: { reason?: string; issues?: Array<{ in: string; path: string; message: string }> } };
  request_id: string;
}

const envelope = (code: string) => ({
  error: { code, message: expect.any(String) },
  request_id: expect.stringMatching(/^req_/),
});

const send = (body: unknown) => api.post<ErrorEnvelope>(`/v1/instances/${instanceId}/messages`, body);

describe('invalid send bodies', () => {
  it.each([
    ['an unknown body type', { to: '4915112345678', body: { type: 'hologram', text: 'hi' } }, 'body.type'],
    ['a missing to', { body: { type: 'text', text: 'hi' } }, 'to'],
    ['a to with letters', { to: '49151abc45678', body: { type: 'text', text: 'hi' } }, 'to'],
  ])('refuses %s with 400 invalid_input naming the field', async (_label, request, path) => {
    const response = await send(request);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject(envelope('invalid_input'));
    expect(response.body.error.details?.issues?.map((issue) => issue.path)).toContainEqual(expect.stringContaining(path));
  });

  it('refuses a 10 MB text with 413 payload_too_large', async () => {
    const response = await send({ to: '4915112345678', body: { type: 'text', text: 'x'.repeat(10 * 1024 * 1024) } });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject(envelope('payload_too_large'));
  });

  it('stages none of them', async () => {
    const listed = await api.get<{ data: unknown[] }>(`/v1/messages?instance_id=${instanceId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([]);
  });
});

describe('media_url', () => {
  it.each([
    ['a private address', 'http://10.0.0.1/x.jpg'],
    ['the cloud metadata address', 'http://169.254.169.254/'],
    ['loopback, with no allowlist', 'http://127.0.0.1:8080/x.jpg'],
    ['IPv6 loopback', 'http://[::1]/x.jpg'],
  ])('refuses %s with 422 unsafe_url, for the same reason as a webhook URL', async (_label, url) => {
    const response = await send({ to: '4915112345678', body: { type: 'image', media_url: url } });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject(envelope('unsafe_url'));
    const reason = response.body.error.details?.reason;
    expect(reason).toEqual(expect.any(String));

    const webhook = await api.post<ErrorEnvelope>('/v1/webhook-endpoints', { url, events: ['*'] });
    expect(webhook.status).toBe(422);
    expect(webhook.body.error.code).toBe('unsafe_url');
    expect(webhook.body.error.details?.reason).toBe(reason);
  });

  it('stages a message whose media_url is a public address', async () => {
    const response = await api.post<{ message_id: string; status: string }>(`/v1/instances/${instanceId}/messages`, {
      to: '4915112345678',
      body: { type: 'image', media_url: 'http://93.184.215.14/x.jpg' },
    });
    expect(response.status).toBe(202);
    expect(response.body.status).toBe('queued');
  });

  it('stages nothing for a refused URL', async () => {
    const listed = await api.get<{ data: Array<{ body: { media_url?: string } }> }>(`/v1/messages?instance_id=${instanceId}`);
    expect(listed.body.data.map((m) => m.body.media_url)).toEqual(['http://93.184.215.14/x.jpg']);
  });
});
