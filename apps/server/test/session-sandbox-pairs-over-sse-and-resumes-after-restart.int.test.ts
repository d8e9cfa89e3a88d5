/*
 * From outside: a real server process, a sandbox instance created and connected over
 * HTTP, its pairing read from `GET /v1/events` as an integrator's backend would read it; then the process is
 * stopped with SIGTERM and started again on the same database and DATA_DIR, and the instance comes back
 * connected without a QR.
 *
 * Why two instances: resume is staggered (SESSION_RESUME_PER_SECOND=1 here), and the first instance is
 * resumed the moment the server listens, possibly before any client can open a stream. The instance under
 * test is created second, so it resumes a second later, and the stream opened right after the restart is
 * surely open before it reconnects. The first one is checked through the API and the audit log instead.
 */
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
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
let key: string;
let api: ApiClient;
const streams: SseStream[] = [];
/** Paired in beforeAll; resumed first after the restart. */
let resumedFirst: InstanceJson;
/** The instance paired in the first test and followed across the restart. */
let paired: InstanceJson;

async function streamOf(instanceId: string): Promise<SseStream> {
  const stream = await openEventStream(`${server.url}/v1/events?instance_id=${instanceId}`, { authorization: `Bearer ${key}` });
  streams.push(stream);
  expect(stream.status).toBe(200);
  expect(stream.contentType).toMatch(/^text\/event-stream/);
  return stream;
}

async function createSandbox(name: string): Promise<InstanceJson> {
  const created = await api.post<InstanceJson>('/v1/instances', { name, kind: 'sandbox' });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ name, kind: 'sandbox', status: 'pending' });
  return created.body;
}

interface AuditEventJson {
  readonly action: string;
  readonly actor: { type: string };
  readonly data: { from?: string; to?: string; reason?: string | null };
  readonly occurred_at: string;
}

/** The instance's status changes recorded in the audit log after `since`, oldest first. */
async function statusChangesSince(instanceId: string, since: Date): Promise<AuditEventJson[]> {
  const page = await api.get<{ data: AuditEventJson[] }>(`/v1/audit-events?instance_id=${instanceId}&limit=100`);
  expect(page.status).toBe(200);
  return page.body.data
    .filter((event) => event.action === 'instance.status_changed' && new Date(event.occurred_at) > since)
    .reverse();
}

beforeAll(async () => {
  database = await createTestDatabase();
  env = testEnv(database.url, serverRedisUrl(), {
    REDIS_PREFIX: uniqueRedisPrefix(),
    SANDBOX_AUTO_SCAN_MS: '1000',
    SESSION_RESUME_PER_SECOND: '1',
  });
  server = await startServer(env);
  key = await bootstrapKeyOf(server); // printed on the first start against an empty database
  api = createApiClient(() => server.url, key);

  resumedFirst = await createSandbox('resumed-first');
  expect((await api.post(`/v1/instances/${resumedFirst.id}/connect`)).status).toBe(202);
  expect((await api.post(`/v1/instances/${resumedFirst.id}/sandbox/scan`)).status).toBe(204);
  resumedFirst = await waitForInstanceStatus(api, resumedFirst.id, 'connected');
}, 90_000);

afterAll(async () => {
  await Promise.all(streams.map((stream) => stream.close()));
  await server?.stop();
  await database?.drop();
});

describe('a sandbox instance paired over HTTP and SSE', () => {
  it('streams qr.updated then instance.connected, serves its QR until then, and reads connected', async () => {
    paired = await createSandbox('front-desk');
    const stream = await streamOf(paired.id);

    expect((await api.post<InstanceJson>(`/v1/instances/${paired.id}/connect`)).status).toBe(202);
    const qr = await api.get<{ qr: string; png_data_url: string }>(`/v1/instances/${paired.id}/qr`);
    expect(qr.status).toBe(200);
    expect(qr.body.qr.length).toBeGreaterThan(20);
    expect(qr.body.png_data_url).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(qr.body.png_data_url.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    const connected = await stream.waitFor((event) => event.event === 'instance.connected', 'instance.connected');
    expect(stream.events.map((event) => event.event)).toEqual(['qr.updated', 'instance.connected']);
    const [qrFrame] = stream.events;
    const qrEvent = envelopeOf<{ qr: string; png_data_url: string }>(qrFrame!);
    expect(qrEvent).toMatchObject({ event: 'qr.updated', event_id: qrFrame!.id, instance_id: paired.id });
    expect(qrEvent.data).toEqual({ qr: qr.body.qr, png_data_url: qr.body.png_data_url });
    const connectedEvent = envelopeOf<{ phone_number: string }>(connected);
    expect(connectedEvent).toMatchObject({ event: 'instance.connected', event_id: connected.id, instance_id: paired.id });
    expect(connectedEvent.data.phone_number).toMatch(/^999\d{10}$/);

    paired = (await api.get<InstanceJson>(`/v1/instances/${paired.id}`)).body;
    expect(paired).toMatchObject({ status: 'connected', phone_number: connectedEvent.data.phone_number });
    const noQr = await api.get<{ error: { code: string } }>(`/v1/instances/${paired.id}/qr`);
    expect(noQr.status).toBe(409);
    expect(noQr.body.error.code).toBe('no_qr');
  });

  it('is connected again without any QR after the server is stopped and started on the same database and DATA_DIR', async () => {
    expect(paired?.status).toBe('connected');
    expect(await server.stop('SIGTERM')).toBe(0);
    const restartedAt = new Date();
    server = await startServer(env);
    const stream = await streamOf(paired.id);

    const connected = await stream.waitFor((event) => event.event === 'instance.connected', 'instance.connected after the restart');
    expect(stream.events.map((event) => event.event)).toEqual(['instance.connected']);
    expect(envelopeOf<{ phone_number: string }>(connected).data.phone_number).toBe(paired.phone_number);
    expect(await waitForInstanceStatus(api, paired.id, 'connected')).toMatchObject({ phone_number: paired.phone_number });
    expect(await waitForInstanceStatus(api, resumedFirst.id, 'connected')).toMatchObject({ phone_number: resumedFirst.phone_number });

    // The durable record of both: resumed (reconnecting, process_restart), then connected, all by the system,
    // and never qr_required. The socket opening keeps a paired instance reconnecting (sends stay accepted).
    for (const instance of [resumedFirst, paired]) {
      const changes = await statusChangesSince(instance.id, restartedAt);
      expect(changes.map((change) => [change.data.to, change.actor.type])).toEqual([
        ['reconnecting', 'system'],
        ['connected', 'system'],
      ]);
      expect(changes[0]!.data.reason).toBe('process_restart');
    }
    await until(() => server.output().includes('"msg":"resumed sessions"'), {
      timeoutMs: 15_000,
      message: () => `the server never reported resumed sessions:\n${server.output().slice(-2000)}`,
    });
    const report = server
      .output()
      .split('\n')
      .filter((line) => line.includes('"msg":"resumed sessions"'))
      .map((line) => JSON.parse(line) as { resumed: string[]; invalidated: string[] })[0]!;
    expect(report.resumed).toEqual([resumedFirst.id, paired.id]);
    expect(report.invalidated).toEqual([]);

    const noQr = await api.get<{ error: { code: string } }>(`/v1/instances/${paired.id}/qr`);
    expect(noQr.status).toBe(409);
    expect(noQr.body.error.code).toBe('no_qr');
  });
});
