/*
 * Per-host isolation, with the real server process: host A (127.0.0.1) accepts every request and
 * never answers; host B (127.0.0.2, another loopback address, so another host for the gate) answers at
 * once. With a backlog for A, B's deliveries still complete while A's requests hang, and A never sees more
 * than WEBHOOK_MAX_PER_HOST requests open at once, including when its hung attempts time out and retries
 * take their places.
 *
 * The worker runs only WORKER_CONCURRENCY jobs at once, fewer than A's backlog: without the per-host gate
 * every worker slot would sit on a hung request to A and B would wait for A's timeouts.
 */
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { queryDatabase } from './support/query-database.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const MAX_PER_HOST = 2;
const TIMEOUT_MS = 4_000;
const WORKER_CONCURRENCY = 4;
const EVENTS_PER_HOST = 12;

let database: TestDatabase;
let server: ServerProcess;
let hanging: WebhookReceiver;
let healthy: WebhookReceiver;
let api: ApiClient;

beforeAll(async () => {
  database = await createTestDatabase();
  hanging = await startWebhookReceiver({ host: '127.0.0.1', reply: () => 'hang' });
  healthy = await startWebhookReceiver({ host: '127.0.0.2' });
  server = await startServer(
    testEnv(database.url, serverRedisUrl(), {
      REDIS_PREFIX: uniqueRedisPrefix('wh-hosts'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.0/8',
      WEBHOOK_MAX_PER_HOST: String(MAX_PER_HOST),
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      WEBHOOK_CONCURRENCY: String(WORKER_CONCURRENCY),
      WEBHOOK_RETRY_SCHEDULE: '0,1,1,1',
      SWEEP_INTERVAL_MS: '500',
    }),
  );
  api = createApiClient(server.url, await bootstrapKeyOf(server));
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await hanging?.close();
  await healthy?.close();
  await database?.drop();
});

async function sendTests(url: string, count: number): Promise<{ endpointId: string; eventIds: string[] }> {
  const created = await api.post<{ id: string }>('/v1/webhook-endpoints', { url, events: ['*'] });
  expect(created.status).toBe(201);
  const sent = await Promise.all(
    Array.from({ length: count }, () => api.post<{ event_id: string }>(`/v1/webhook-endpoints/${created.body.id}/test`)),
  );
  expect(sent.map((response) => response.status)).toEqual(sent.map(() => 202));
  return { endpointId: created.body.id, eventIds: sent.map((response) => response.body.event_id) };
}

describe('one host that never answers', () => {
  it('does not hold up deliveries to another host, and never has more than WEBHOOK_MAX_PER_HOST requests open', async () => {
    const a = await sendTests(`${hanging.url}/never`, EVENTS_PER_HOST);
    await hanging.waitFor(() => hanging.openRequests === MAX_PER_HOST, `${MAX_PER_HOST} hung requests`);

    const b = await sendTests(`${healthy.url}/fine`, EVENTS_PER_HOST);
    await healthy.waitFor(() => b.eventIds.every((id) => healthy.eventIds().has(id)), 'every event for host B', TIMEOUT_MS * 3);
    // B finished while A's first requests were still hanging: nothing of B waited for A's timeouts.
    expect(hanging.openRequests).toBe(MAX_PER_HOST);
    expect(hanging.received.length).toBe(MAX_PER_HOST);

    await until(
      async () => {
        const rows = await queryDatabase<{ status: string }>(database.url, 'SELECT status FROM webhook_deliveries WHERE endpoint_id = $1', [b.endpointId]);
        return rows.length === EVENTS_PER_HOST && rows.every((row) => row.status === 'success');
      },
      { timeoutMs: 10_000, intervalMs: 25, message: () => 'host B deliveries did not all end success' },
    );

    // Past A's first timeouts: the freed slots go to A's next attempts, still never more than the cap.
    await hanging.waitFor((all) => all.length >= MAX_PER_HOST * 2, 'the next attempts to host A', TIMEOUT_MS * 4);
    expect(hanging.maxOpenRequests).toBe(MAX_PER_HOST);
    expect(new Set(hanging.received.map((r) => r.eventId)).size).toBeGreaterThan(1);
    expect(a.eventIds).toEqual(expect.arrayContaining([...hanging.eventIds()]));
    const [unfinished] = await queryDatabase<{ n: string }>(
      database.url,
      "SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND status IN ('pending', 'retrying')",
      [a.endpointId],
    );
    expect(Number(unfinished!.n)).toBeGreaterThan(0);
  }, 60_000);
});
