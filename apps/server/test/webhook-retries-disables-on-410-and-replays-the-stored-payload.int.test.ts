/*
 * With the real server process: a receiver answering 500 sees every
 * retry of the (shortened) schedule and then the delivery is `failed`; a 410 disables the endpoint
 * (visible, with its reason, and audited); a replay re-sends the stored payload byte for byte.
 *
 * WEBHOOK_RETRY_SCHEDULE=0,1,1: three attempts, the 2nd and 3rd about one second (±20 %) after the
 * previous one ended.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { waitForDeliveryStatus } from './support/wait-for-delivery-status.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './support/webhook-receiver.js';

let database: TestDatabase;
let server: ServerProcess;
let receiver: WebhookReceiver;
let api: ApiClient;
/** Per path, the status the receiver answers with (200 when unset). */
const statusByPath = new Map<string, number>();

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver({ reply: (request) => ({ status: statusByPath.get(request.path) ?? 200 }) });
  server = await startServer(
    testEnv(database.url, serverRedisUrl(), {
      REDIS_PREFIX: uniqueRedisPrefix('wh-retry'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      WEBHOOK_RETRY_SCHEDULE: '0,1,1',
      SWEEP_INTERVAL_MS: '500',
    }),
  );
  api = createApiClient(server.url, await bootstrapKeyOf(server));
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

async function endpointAt(path: string): Promise<string> {
  const created = await api.post<{ id: string }>('/v1/webhook-endpoints', { url: `${receiver.url}${path}`, events: ['*'] });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function sendTest(endpointId: string): Promise<{ event_id: string; delivery_id: string }> {
  const sent = await api.post<{ event_id: string; delivery_id: string }>(`/v1/webhook-endpoints/${endpointId}/test`);
  expect(sent.status).toBe(202);
  return sent.body;
}

const at = (path: string): ReceivedWebhook[] => receiver.received.filter((r) => r.path === path);

describe('a receiver answering 500', () => {
  let deliveryId = '';

  it('sees the first attempt and both retries, about a second apart, then the delivery is failed', async () => {
    statusByPath.set('/fails', 500);
    const { event_id, delivery_id } = await sendTest(await endpointAt('/fails'));
    deliveryId = delivery_id;

    const failed = await waitForDeliveryStatus(api, delivery_id, 'failed');
    const requests = at('/fails');
    expect(requests).toHaveLength(3);
    expect(requests.every((r) => r.eventId === event_id)).toBe(true);
    for (let i = 1; i < requests.length; i++) {
      expect(requests[i]!.receivedAt - requests[i - 1]!.receivedAt).toBeGreaterThanOrEqual(750);
    }
    expect(failed).toMatchObject({ attempt_count: 3, last_response_status: 500 });
    expect(failed.attempts.map((a) => [a.attempt_number, a.response_status])).toEqual([[1, 500], [2, 500], [3, 500]]);
    // Every retry sends the same bytes, and those are the stored payload.
    expect(new Set(requests.map((r) => r.body))).toEqual(new Set([failed.raw_payload]));
  });

  it('is replayed with the stored payload, byte for byte, once the receiver recovers', async () => {
    expect(deliveryId, 'the previous test made a failed delivery').not.toBe('');
    const before = await waitForDeliveryStatus(api, deliveryId, 'failed');
    const firstBytes = at('/fails')[0]!.rawBody;
    statusByPath.set('/fails', 200);

    const replayed = await api.post<{ id: string; status: string }>(`/v1/webhook-deliveries/${deliveryId}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body.id).toBe(deliveryId);

    const done = await waitForDeliveryStatus(api, deliveryId, 'success');
    const requests = at('/fails');
    expect(requests).toHaveLength(4);
    expect(requests[3]!.rawBody.equals(firstBytes)).toBe(true);
    expect(requests[3]!.body).toBe(before.raw_payload);
    expect(done.raw_payload).toBe(before.raw_payload);
    expect(done.attempts.map((a) => a.response_status)).toEqual([500, 500, 500, 200]);
  });
});

describe('a receiver answering 410', () => {
  it('is called once, and its endpoint is disabled with reason gone, audited', async () => {
    statusByPath.set('/gone', 410);
    const endpointId = await endpointAt('/gone');
    const { delivery_id } = await sendTest(endpointId);

    const failed = await waitForDeliveryStatus(api, delivery_id, 'failed');
    expect(failed).toMatchObject({ attempt_count: 1, last_response_status: 410 });
    expect(at('/gone')).toHaveLength(1);

    const endpoint = await api.get<{ enabled: boolean; disabled_reason: string | null }>(`/v1/webhook-endpoints/${endpointId}`);
    expect(endpoint.status).toBe(200);
    expect(endpoint.body).toMatchObject({ enabled: false, disabled_reason: 'gone' });

    const audit = await api.get<{ data: Array<{ action: string; target_id: string | null; actor: { type: string } }> }>(
      '/v1/audit-events?limit=100',
    );
    expect(audit.body.data).toContainEqual(
      expect.objectContaining({ action: 'webhook_endpoint.disabled', target_id: endpointId, actor: { type: 'system' } }),
    );
  });

  it('refuses tests and replays to the disabled endpoint with 409 until it is enabled again', async () => {
    const listed = await api.get<{ data: Array<{ id: string; url: string; enabled: boolean }> }>('/v1/webhook-endpoints');
    const gone = listed.body.data.find((e) => e.url.endsWith('/gone'));
    expect(gone).toMatchObject({ enabled: false });
    const test = await api.post<{ error: { code: string } }>(`/v1/webhook-endpoints/${gone!.id}/test`);
    expect(test.status).toBe(409);
    expect(test.body.error.code).toBe('conflict');

    const deliveries = await api.get<{ data: Array<{ id: string }> }>(`/v1/webhook-deliveries?endpoint_id=${gone!.id}`);
    const replay = await api.post<{ error: { code: string } }>(`/v1/webhook-deliveries/${deliveries.body.data[0]!.id}/replay`);
    expect(replay.status).toBe(409);
    expect(at('/gone')).toHaveLength(1);

    statusByPath.set('/gone', 200);
    const enabled = await api.request<{ enabled: boolean; disabled_reason: string | null }>('PATCH', `/v1/webhook-endpoints/${gone!.id}`, { enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null });
    const { delivery_id } = await sendTest(gone!.id);
    await waitForDeliveryStatus(api, delivery_id, 'success');
    expect(at('/gone')).toHaveLength(2);
  });
});
