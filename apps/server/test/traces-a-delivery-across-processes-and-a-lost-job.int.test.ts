/*
 * Traces across processes and a lost job: an API-only process (`serve --no-worker`) records a test event
 * while no worker runs; its job is then deleted from Redis (as a flush would); a worker process started
 * afterwards re-drives the delivery from its row (the sweeper) and sends it. Both processes export to one
 * local OTLP receiver, and the worker's webhook POST is in the trace of the API request that recorded the
 * event, through the trace context stored with the delivery.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';
import { sharedRedisOrSkip } from './support/redis-for-servers.js';

let database: TestDatabase;
let env: TestEnv;
let otlp: OtlpReceiver;
let receiver: WebhookReceiver;
let apiProcess: ServerProcess;
let workerProcess: ServerProcess | undefined;
let api: ApiClient;
const prefix = uniqueRedisPrefix('traced-split');
const redisUrl = sharedRedisOrSkip(
  'traces-a-delivery-across-processes-and-a-lost-job',
  'an API-only process and a worker process share the queue, which takes a Redis',
);

beforeAll(async () => {
  if (redisUrl === null) return;
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  otlp = await startOtlpReceiver();
  env = testEnv(database.url, redisUrl, {
    REDIS_PREFIX: prefix,
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    SWEEP_INTERVAL_MS: '500',
    WORKER_PORT: '0',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  apiProcess = await startServer(env, { entry: 'src/cli.ts', args: ['serve', '--no-worker'] });
  api = createApiClient(apiProcess.url, await bootstrapKeyOf(apiProcess));
}, 90_000);

afterAll(async () => {
  await workerProcess?.stop();
  await apiProcess?.stop();
  await receiver?.close();
  await otlp?.close();
  await database?.drop();
});

/** Deletes every Redis key of this test's prefix: the queued jobs are lost, the rows in Postgres are not. */
async function loseEveryJob(): Promise<number> {
  const redis = new Redis(redisUrl!, { lazyConnect: true });
  await redis.connect();
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length > 0) await redis.del(...keys);
    return keys.length;
  } finally {
    redis.disconnect();
  }
}

function parentOf(spans: readonly ReceivedSpan[], span: ReceivedSpan): ReceivedSpan | undefined {
  return spans.find((s) => s.traceId === span.traceId && s.spanId === span.parentSpanId);
}

// Skips only without a Redis (never in CI): the API and worker processes share one queue.
describe.skipIf(redisUrl === null)('a delivery recorded by an API process and sent by a worker process after its job was lost', () => {
  it('is sent in the trace of the request that recorded its event', async () => {
    const endpoint = await api.post<{ id: string }>('/v1/webhook-endpoints', { url: `${receiver.url}/split`, events: ['*'] });
    expect(endpoint.status).toBe(201);
    const sent = await api.post<{ delivery_id: string }>(`/v1/webhook-endpoints/${endpoint.body.id}/test`);
    expect(sent.status).toBe(202);

    const request = () => otlp.spans.find((s) => s.name === 'POST /v1/webhook-endpoints/:id/test' && s.attributes['whatisup.endpoint.id'] === endpoint.body.id);
    await otlp.waitFor(() => request() !== undefined, 'the span of the test request');
    expect(await loseEveryJob()).toBeGreaterThan(0);

    workerProcess = await startServer(env, { entry: 'src/cli.ts', args: ['worker'], readyMessage: 'delivery worker started' });
    await receiver.waitFor((all) => all.length > 0, 'the test event at the receiver');

    const requestSpan = request()!;
    const post = () => otlp.spans.find((s) => s.traceId === requestSpan.traceId && s.name === 'POST' && s.kind === 3);
    await otlp.waitFor(() => {
      const found = post();
      return found !== undefined && parentOf(otlp.spans, found) !== undefined;
    }, 'the webhook POST and its job span in the request trace');

    const attempt = post()!;
    const job = parentOf(otlp.spans, attempt)!;
    expect(job).toMatchObject({ name: 'process webhook-deliveries', parentSpanId: requestSpan.spanId });
    expect(job.attributes).toMatchObject({ 'messaging.message.id': sent.body.delivery_id, 'messaging.system': 'bullmq' });
    expect(attempt.resource['whatisup.role']).toBe('worker');
    expect(requestSpan.resource['whatisup.role']).toBe('api');
  });
});
