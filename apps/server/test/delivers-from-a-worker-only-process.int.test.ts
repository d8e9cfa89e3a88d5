/*
 * The delivery worker can run as its own process. An API-only process
 * (`whatisup serve --no-worker`) and a worker-only process (`whatisup worker`) share one Postgres and one
 * Redis (same REDIS_PREFIX). Events accepted by the API process stay pending while no worker runs, and the
 * worker process delivers them once it starts, and the ones that follow.
 */
import { createTestDatabase, sleep, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { sharedRedisOrSkip } from './support/redis-for-servers.js';
import { waitForDeliveryStatus, type DeliveryDetail } from './support/wait-for-delivery-status.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const redisUrl = sharedRedisOrSkip('delivers-from-a-worker-only-process', 'a worker-only process shares the queue with the API process, which takes a Redis');

let database: TestDatabase;
let env: TestEnv;
let apiProcess: ServerProcess;
let workerProcess: ServerProcess | undefined;
let receiver: WebhookReceiver;
let api: ApiClient;
let endpointId: string;

beforeAll(async () => {
  if (redisUrl === null) return;
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  env = testEnv(database.url, redisUrl, {
    REDIS_PREFIX: uniqueRedisPrefix('wh-split'),
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    SWEEP_INTERVAL_MS: '500',
    WORKER_PORT: '0',
  });
  apiProcess = await startServer(env, { entry: 'src/cli.ts', args: ['serve', '--no-worker'] });
  api = createApiClient(apiProcess.url, await bootstrapKeyOf(apiProcess));
  const created = await api.post<{ id: string }>('/v1/webhook-endpoints', { url: `${receiver.url}/split`, events: ['*'] });
  expect(created.status).toBe(201);
  endpointId = created.body.id;
}, 90_000);

afterAll(async () => {
  await workerProcess?.stop();
  await apiProcess?.stop();
  await receiver?.close();
  await database?.drop();
});

async function sendTest(): Promise<{ event_id: string; delivery_id: string }> {
  const sent = await api.post<{ event_id: string; delivery_id: string }>(`/v1/webhook-endpoints/${endpointId}/test`);
  expect(sent.status).toBe(202);
  return sent.body;
}

/**
 * An API-only process must never deliver. A delivery that does not happen sends no signal, so the test
 * watches the real process (its BullMQ queue on real Redis) for a window in which a worker, had one
 * started, would long have delivered to the local receiver.
 */
const NO_DELIVERY_WINDOW_MS = 1_500;

// Skips only without a Redis (never in CI): the two processes share one queue.
describe.skipIf(redisUrl === null)('an API-only process and a worker-only process', () => {
  it('leaves events pending while no worker runs', async () => {
    const { delivery_id } = await sendTest();
    await sleep(NO_DELIVERY_WINDOW_MS);
    expect(receiver.received).toHaveLength(0);
    const delivery = await api.get<DeliveryDetail>(`/v1/webhook-deliveries/${delivery_id}`);
    expect(delivery.body).toMatchObject({ status: 'pending', attempt_count: 0 });
    expect(apiProcess.output()).not.toContain('delivery worker started');
  });

  it('delivers what the API process accepted once the worker process runs, and what follows', async () => {
    workerProcess = await startServer(env, { entry: 'src/cli.ts', args: ['worker'], readyMessage: 'delivery worker started' });
    expect(workerProcess.output()).toContain('"role":"worker"');

    const later = await sendTest();
    await receiver.waitFor((all) => all.length >= 2, 'both events from the worker process');
    const listed = await api.get<{ data: Array<{ id: string; event_id: string; status: string }> }>(
      `/v1/webhook-deliveries?endpoint_id=${endpointId}`,
    );
    expect(listed.body.data).toHaveLength(2);
    for (const delivery of listed.body.data) await waitForDeliveryStatus(api, delivery.id, 'success');
    expect(receiver.eventIds()).toEqual(new Set(listed.body.data.map((d) => d.event_id)));
    expect(receiver.eventIds().has(later.event_id)).toBe(true);
  });

  it('stops both processes cleanly on SIGTERM', async () => {
    expect(await workerProcess!.stop('SIGTERM')).toBe(0);
    expect(await apiProcess.stop('SIGTERM')).toBe(0);
  });
});
