/*
 * From outside: a real server refuses webhook URLs that reach a private,
 * loopback or metadata address (422 unsafe_url), and a `webhook.test` sent to an allowlisted loopback
 * receiver arrives signed so that the `standardwebhooks` package verifies it, and so that a few lines of
 * HMAC written here (independent of the server's code) verify `X-WhatIsUp-Signature`.
 *
 * Two processes: one allowlists 127.0.0.1/32 (to reach the receiver), one has no allowlist, to show that
 * 127.0.0.1 is refused unless an operator allows it. Each has a database and a queue of its own, so the
 * strict one's delivery worker never picks up (and refuses) what the allowing one staged.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { waitForDeliveryStatus } from './support/wait-for-delivery-status.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

let database: TestDatabase;
let strictDatabase: TestDatabase;
let allowing: ServerProcess;
let strict: ServerProcess;
let receiver: WebhookReceiver;
let api: ApiClient;
let strictApi: ApiClient;
let signedSecret = '';
let signedEndpointId = '';

beforeAll(async () => {
  [database, strictDatabase] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  receiver = await startWebhookReceiver();
  const env = testEnv(database.url, serverRedisUrl(), { REDIS_PREFIX: uniqueRedisPrefix('wh-sign'), WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32' });
  allowing = await startServer(env);
  const { WEBHOOK_ALLOW_CIDRS: _allowed, ...withoutAllowlist } = env;
  strict = await startServer({ ...withoutAllowlist, DATABASE_URL: strictDatabase.url, REDIS_PREFIX: uniqueRedisPrefix('wh-strict') });
  api = createApiClient(allowing.url, await bootstrapKeyOf(allowing));
  strictApi = createApiClient(strict.url, await bootstrapKeyOf(strict));
}, 90_000);

afterAll(async () => {
  await strict?.stop();
  await allowing?.stop();
  await receiver?.close();
  await Promise.all([database?.drop(), strictDatabase?.drop()]);
});

interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string } };
}

interface CreatedEndpoint {
  id: string;
  url: string;
  signing_secret: string;
}

/** X-WhatIsUp-Signature: t=<unix>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>, key = base64-decoded whsec_ part. */
function verifyWhatIsUpSignature(header: string, body: string, secret: string, nowSeconds: number): boolean {
  const fields = header.split(',').map((field) => field.split('=') as [string, string]);
  const t = fields.find(([name]) => name === 't')?.[1];
  if (t === undefined || Math.abs(nowSeconds - Number(t)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${t}.${body}`).digest();
  return fields.some(([name, value]) => {
    const given = Buffer.from(value, 'hex');
    return name === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe('webhook endpoint URLs', () => {
  it.each([
    ['a private address', 'http://10.0.0.1/hook'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['a loopback address outside the allowlist', 'http://127.0.0.2:8080/hook'],
    ['IPv6 loopback', 'http://[::1]:8080/hook'],
  ])('refuses %s with 422 unsafe_url', async (_label, url) => {
    const response = await api.post<ErrorBody>('/v1/webhook-endpoints', { url, events: ['*'] });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('unsafe_url');
    expect(response.body.error.details?.reason).toEqual(expect.any(String));
  });

  it('refuses 127.0.0.1 on a server without an allowlist, and accepts it on one that allows it', async () => {
    const url = `${receiver.url}/refused-then-allowed`;
    const refused = await strictApi.post<ErrorBody>('/v1/webhook-endpoints', { url, events: ['*'] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('unsafe_url');
    // The refusal says how an operator opens the range.
    expect(refused.body.error.message).toBe(
      "The URL's host is a loopback address. Only public addresses may be reached unless the server operator allows the range with WEBHOOK_ALLOW_CIDRS.",
    );

    const accepted = await api.post<CreatedEndpoint>('/v1/webhook-endpoints', { url, events: ['*'] });
    expect(accepted.status).toBe(201);
  });

  it('creates nothing for a refused URL', async () => {
    const listed = await api.get<{ data: Array<{ url: string }> }>('/v1/webhook-endpoints?limit=100');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((endpoint) => endpoint.url)).not.toContainEqual(expect.stringMatching(/10\.0\.0\.1|169\.254|127\.0\.0\.2|\[::1\]/));
  });
});

describe('a webhook.test to an allowed loopback receiver', () => {
  it('arrives once, signed for standardwebhooks and for X-WhatIsUp-Signature', async () => {
    const created = await api.post<CreatedEndpoint>('/v1/webhook-endpoints', { url: `${receiver.url}/signed`, events: ['message.received'] });
    expect(created.status).toBe(201);
    const secret = created.body.signing_secret;
    signedSecret = secret;
    signedEndpointId = created.body.id;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const sent = await api.post<{ event_id: string; delivery_id: string }>(`/v1/webhook-endpoints/${created.body.id}/test`);
    expect(sent.status).toBe(202);
    await receiver.waitFor((all) => all.some((r) => r.path === '/signed'), 'the signed webhook.test');
    const [request, ...more] = receiver.received.filter((r) => r.path === '/signed');
    expect(more).toHaveLength(0);
    const headers = request!.headers as Record<string, string>;

    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(headers['x-whatisup-event']).toBe('webhook.test');
    expect(headers['x-whatisup-event-id']).toBe(sent.body.event_id);
    expect(headers['webhook-id']).toBe(sent.body.event_id);
    const envelope = new Webhook(secret).verify(request!.body, headers);
    expect(envelope).toMatchObject({
      event: 'webhook.test',
      event_id: sent.body.event_id,
      api_version: expect.any(String),
      occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: expect.objectContaining({ endpoint_id: created.body.id }),
    });
    expect(verifyWhatIsUpSignature(headers['x-whatisup-signature']!, request!.body, secret, Date.now() / 1000)).toBe(true);
  });

  it('fails both checks for a body changed by one byte or another secret, and the stored payload is what was sent', async () => {
    const request = receiver.received.find((r) => r.path === '/signed');
    expect(request, 'the previous test delivered one').toBeDefined();
    const headers = request!.headers as Record<string, string>;
    const now = Date.now() / 1000;
    const tampered = request!.body.replace('"webhook.test"', '"webhook.tesT"');
    expect(tampered).not.toBe(request!.body);
    expect(() => new Webhook(signedSecret).verify(tampered, headers)).toThrow();
    expect(verifyWhatIsUpSignature(headers['x-whatisup-signature']!, tampered, signedSecret, now)).toBe(false);

    const other = await api.post<CreatedEndpoint>('/v1/webhook-endpoints', { url: `${receiver.url}/other`, events: ['*'] });
    expect(other.status).toBe(201);
    expect(() => new Webhook(other.body.signing_secret).verify(request!.body, headers)).toThrow();
    expect(verifyWhatIsUpSignature(headers['x-whatisup-signature']!, request!.body, other.body.signing_secret, now)).toBe(false);

    const listed = await api.get<{ data: Array<{ id: string; event_id: string }> }>(
      `/v1/webhook-deliveries?event=webhook.test&endpoint_id=${signedEndpointId}`,
    );
    expect(listed.status).toBe(200);
    const delivery = listed.body.data.find((d) => d.event_id === request!.eventId);
    expect(delivery).toBeDefined();
    const stored = await waitForDeliveryStatus(api, delivery!.id, 'success');
    expect(stored.raw_payload).toBe(request!.body);
  });
});
