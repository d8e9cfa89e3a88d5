/*
 * A sandbox instance receives a simulated message (`POST /v1/instances/:id/sandbox/inbound`) and it reaches
 * the event stream as `message.received`, exactly as a real phone's would. The stream is read the way a
 * browser's EventSource would be: with a short-lived event token bound to the instance in `?token=`, and
 * filtered to `events=message.received`, so the pairing events of the same instance must not appear on it.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { envelopeOf, openEventStream, type SseStream } from './support/sse-reader.js';
import { waitForInstanceStatus, type InstanceJson } from './support/wait-for-instance-status.js';

let database: TestDatabase;
let env: TestEnv;
let server: ServerProcess;
let api: ApiClient;
let key: string;
const streams: SseStream[] = [];

async function open(query: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await openEventStream(`${server.url}/v1/events?${query}`, headers);
  streams.push(stream);
  expect(stream.status).toBe(200);
  return stream;
}

beforeAll(async () => {
  database = await createTestDatabase();
  env = testEnv(database.url, serverRedisUrl(), { REDIS_PREFIX: uniqueRedisPrefix(), SANDBOX_AUTO_SCAN_MS: '300' });
  server = await startServer(env);
  key = await bootstrapKeyOf(server); // printed on the first start against an empty database
  api = createApiClient(() => server.url, key);
}, 90_000);

afterAll(async () => {
  await Promise.all(streams.map((stream) => stream.close()));
  await server?.stop();
  await database?.drop();
});

describe('sandbox inbound messages', () => {
  it('arrive on the event stream as message.received with from and body', async () => {
    const instance = (await api.post<InstanceJson>('/v1/instances', { name: 'inbox', kind: 'sandbox' })).body;
    const minted = await api.post<{ token: string }>('/v1/event-tokens', { instance_id: instance.id, ttl_seconds: 300 });
    expect(minted.status).toBe(201);
    const received = await open(`token=${encodeURIComponent(minted.body.token)}&events=message.received`);
    const everything = await open(`instance_id=${instance.id}`, { authorization: `Bearer ${key}` });

    const early = await api.post<{ error: { code: string } }>(`/v1/instances/${instance.id}/sandbox/inbound`, {
      from: '4915112345678',
      body: { type: 'text', text: 'too early' },
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('not_connected');

    expect((await api.post(`/v1/instances/${instance.id}/connect`)).status).toBe(202);
    await everything.waitFor((event) => event.event === 'instance.connected', 'instance.connected');
    await waitForInstanceStatus(api, instance.id, 'connected');

    const injected = await api.post<{ message_id: string; from: string; chat_id: string; received_at: string }>(
      `/v1/instances/${instance.id}/sandbox/inbound`,
      { from: '4915112345678', push_name: 'Ada', body: { type: 'text', text: 'Hello from the sandbox' } },
    );
    expect(injected.status).toBe(201);
    expect(injected.body).toMatchObject({ from: '4915112345678', chat_id: '4915112345678@s.whatsapp.net' });

    const frame = await received.waitFor((event) => event.event === 'message.received', 'message.received');
    const envelope = envelopeOf<Record<string, unknown>>(frame);
    expect(envelope).toMatchObject({ event: 'message.received', event_id: frame.id, instance_id: instance.id });
    expect(envelope.data).toMatchObject({
      message_id: injected.body.message_id,
      from: '4915112345678',
      chat_id: injected.body.chat_id,
      is_group: false,
      push_name: 'Ada',
      received_at: injected.body.received_at,
      body: { type: 'text', text: 'Hello from the sandbox' },
    });
    expect(received.events.map((event) => event.event)).toEqual(['message.received']);
    await everything.waitFor((event) => event.event === 'message.received', 'message.received on the unfiltered stream');
    expect(everything.events.map((event) => event.event)).toEqual(['qr.updated', 'instance.connected', 'message.received']);
  });

  it('refuses a media_url (the sandbox takes media inline) and a non-sandbox instance', async () => {
    const sandbox = (await api.post<InstanceJson>('/v1/instances', { name: 'media-inbox', kind: 'sandbox' })).body;
    const byUrl = await api.post<{ error: { code: string } }>(`/v1/instances/${sandbox.id}/sandbox/inbound`, {
      from: '4915112345678',
      body: { type: 'image', media_url: 'https://example.com/cat.jpg' },
    });
    expect(byUrl.status).toBe(400);
    expect(byUrl.body.error.code).toBe('invalid_input');

    const real = (await api.post<InstanceJson>('/v1/instances', { name: 'real-inbox' })).body;
    const notSandbox = await api.post<{ error: { code: string } }>(`/v1/instances/${real.id}/sandbox/inbound`, {
      from: '4915112345678',
      body: { type: 'text', text: 'hi' },
    });
    expect(notSandbox.status).toBe(400);
    expect(notSandbox.body.error.code).toBe('invalid_input');
  });
});
