/*
 * With the real server process: an image injected into a connected
 * sandbox instance (`POST /v1/instances/:id/sandbox/inbound` with `media_base64` + `mime_type`) arrives at a
 * loopback webhook receiver as `message.received`; its `body.media_url` (absolute, on PUBLIC_URL) serves
 * exactly the injected bytes with their type when fetched with the API key, and once MEDIA_URL_TTL passed the
 * same URL is 410 `media_expired` in the error envelope.
 *
 * MEDIA_URL_TTL is set to its minimum (1 s here would race the first fetch on a loaded machine, so 2 s): the
 * media store's clock is real, so the test waits out the lifetime instead of faking time.
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase, freePort, sleep, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { eventsOf, type EventEnvelope } from './support/message-events.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const MEDIA_URL_TTL_SECONDS = 2;

let database: TestDatabase;
let receiver: WebhookReceiver;
let server: ServerProcess;
let api: ApiClient;
let key: string;
let instanceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  const port = await freePort();
  server = await startServer(
    testEnv(database.url, serverRedisUrl(), {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      REDIS_PREFIX: uniqueRedisPrefix('inbound-media'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
      MEDIA_URL_TTL: String(MEDIA_URL_TTL_SECONDS),
    }),
  );
  key = await bootstrapKeyOf(server);
  api = createApiClient(server.url, key);
  const endpoint = await api.post('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: ['message.received'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  instanceId = await connectSandboxInstance(api, 'inbound-media');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

interface ReceivedData {
  message_id: string;
  from: string;
  chat_id: string;
  body: { type: string; media_url: string | null; mime_type: string; size: number; caption: string | null };
}

/** A PNG signature followed by random bytes: what matters is that every byte comes back unchanged. */
const imageBytes = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(48 * 1024)]);

const fetchMedia = (url: string, headers: Record<string, string> = { authorization: `Bearer ${key}` }) => fetch(url, { headers });

describe('an inbound image on a sandbox instance', () => {
  let mediaUrl = '';
  let mediaFetchedAt = 0;

  it('arrives as message.received whose media_url serves the same bytes with the API key', async () => {
    const injected = await api.post<{ message_id: string }>(`/v1/instances/${instanceId}/sandbox/inbound`, {
      from: '4915112345678',
      body: { type: 'image', media_base64: imageBytes.toString('base64'), mime_type: 'image/png', caption: 'the receipt' },
    });
    expect(injected.status, JSON.stringify(injected.body)).toBe(201);

    await receiver.waitFor((all) => eventsOf(all, 'message.received').length > 0, 'message.received');
    const [event, ...others] = eventsOf<ReceivedData>(receiver.received, 'message.received') as EventEnvelope<ReceivedData>[];
    expect(others).toHaveLength(0);
    expect(event!.instance_id).toBe(instanceId);
    expect(event!.data).toMatchObject({
      message_id: injected.body.message_id,
      from: '4915112345678',
      body: { type: 'image', mime_type: 'image/png', size: imageBytes.length, caption: 'the receipt' },
    });
    mediaUrl = event!.data.body.media_url ?? '';
    expect(mediaUrl).toMatch(new RegExp(`^${server.url}/v1/media/[^/?#]+$`));
    expect(event!.data.body).not.toHaveProperty('media_base64');

    const response = await fetchMedia(mediaUrl);
    mediaFetchedAt = Date.now();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer()).equals(imageBytes)).toBe(true);

    const anonymous = await fetchMedia(mediaUrl, {});
    expect(anonymous.status).toBe(401);
  });

  it('answers 410 media_expired at the same URL once MEDIA_URL_TTL has passed', async () => {
    expect(mediaUrl, 'the previous test got a media URL').not.toBe('');
    await sleep(Math.max(0, mediaFetchedAt + MEDIA_URL_TTL_SECONDS * 1000 + 250 - Date.now()));

    const response = await fetchMedia(mediaUrl);
    expect(response.status).toBe(410);
    const body = (await response.json()) as { error: { code: string; message: string }; request_id: string };
    expect(body).toMatchObject({ error: { code: 'media_expired', message: expect.any(String) }, request_id: expect.stringMatching(/^req_/) });
  });
});
