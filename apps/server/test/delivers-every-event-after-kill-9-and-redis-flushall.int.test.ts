/*
 * At least once, with the real server process: 1,000 `webhook.test` events stream to a loopback
 * receiver; once 100 have arrived the process is killed with SIGKILL (no shutdown code runs), its Redis is
 * wiped with FLUSHALL (every queued job and host-gate lease gone), and the same configuration starts again.
 * Postgres alone must re-drive the rest: every acknowledged event arrives at least once, and every delivery
 * row ends `success`.
 *
 * The producer keeps sending through the outage (it retries a request that found no server), so the kill
 * also lands between a commit and its response for some events: those are in Postgres without the test
 * knowing their ids, which is why the final check reads every row, not only the acknowledged ids.
 *
 * Time: deliveries the killed process had claimed wait for their claim to expire (WEBHOOK_CLAIM_LEASE_MS,
 * here 3 s instead of the default 2 × WEBHOOK_TIMEOUT_MS + 30 s) before the sweeper hands them out again.
 *
 * The Redis is private to this file: FLUSHALL on the shared one would wipe every other test's queues.
 */
import { createTestDatabase, freePort, sleep, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { redisServerBinaryOrSkip } from './support/redis-for-servers.js';
import { queryDatabase } from './support/query-database.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const EVENTS = 1_000;
const KILL_AFTER_RECEIVED = 100;
const PRODUCERS = 8;

const canStartRedis = redisServerBinaryOrSkip('delivers-every-event-after-kill-9-and-redis-flushall');

let database: TestDatabase;
let redis: PrivateRedis;
let receiver: WebhookReceiver;
let env: TestEnv;
let server: ServerProcess;
let api: ApiClient;
let endpointId: string;

beforeAll(async () => {
  if (!canStartRedis) return;
  database = await createTestDatabase();
  redis = await startPrivateRedis();
  receiver = await startWebhookReceiver();
  // A fixed port, so the producer reaches the restarted process at the same address.
  env = testEnv(database.url, redis.url, {
    PORT: String(await freePort()),
    REDIS_PREFIX: uniqueRedisPrefix('wh-chaos'),
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_CLAIM_LEASE_MS: '3000',
    WEBHOOK_RETRY_SCHEDULE: '0,1,1,1,1,1,1,1,1,1',
    SWEEP_INTERVAL_MS: '500',
    RATE_LIMIT_CAPACITY: '1000000',
    RATE_LIMIT_REFILL_PER_SECOND: '1000000',
  });
  server = await startServer(env);
  api = createApiClient(() => server.url, await bootstrapKeyOf(server));
  const created = await api.post<{ id: string }>('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: ['*'] });
  expect(created.status).toBe(201);
  endpointId = created.body.id;
}, 90_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await receiver?.close();
  await redis?.stop();
  await database?.drop();
});

/** fetch rejects with a TypeError when no server answers or the connection drops mid-response. */
const isConnectionFailure = (error: unknown): boolean => error instanceof TypeError;

interface DeliveryRow extends Record<string, unknown> {
  event_id: string;
  status: string;
}

// Skips only where no redis-server binary exists outside CI (printed by redisServerBinaryOrSkip); CI fails instead.
describe.skipIf(!canStartRedis)('at least once through kill -9 and FLUSHALL', () => {
  it('delivers every event to the receiver and ends every delivery row success', async () => {
    const acknowledged = new Set<string>();
    let slots = EVENTS;

    async function sendOneTestEvent(): Promise<void> {
      for (;;) {
        try {
          const sent = await api.post<{ event_id: string }>(`/v1/webhook-endpoints/${endpointId}/test`);
          if (sent.status !== 202) throw new Error(`POST .../test answered ${sent.status}: ${JSON.stringify(sent.body)}`);
          acknowledged.add(sent.body.event_id);
          return;
        } catch (error) {
          if (!isConnectionFailure(error)) throw error;
          await sleep(100);
        }
      }
    }
    const producers = Array.from({ length: PRODUCERS }, async () => {
      while (slots > 0) {
        slots -= 1;
        await sendOneTestEvent();
      }
    });

    let receivedAtKill = 0;
    let unfinishedAtKill = 0;
    const chaos = (async () => {
      await receiver.waitFor(() => receiver.eventIds().size >= KILL_AFTER_RECEIVED, `${KILL_AFTER_RECEIVED} events before the kill`, 60_000);
      await server.stop('SIGKILL');
      receivedAtKill = receiver.eventIds().size;
      const [row] = await queryDatabase<{ n: string }>(database.url, "SELECT count(*) AS n FROM webhook_deliveries WHERE status <> 'success'");
      unfinishedAtKill = Number(row!.n);
      await redis.flushAll();
      expect(await redis.keyCount()).toBe(0);
      server = await startServer(env);
    })();
    await Promise.all([...producers, chaos]);

    expect(acknowledged.size).toBe(EVENTS);
    expect(receivedAtKill, 'the kill landed mid-stream').toBeLessThan(EVENTS);
    expect(unfinishedAtKill, 'Postgres held unfinished deliveries when Redis was wiped').toBeGreaterThan(0);

    let rows: DeliveryRow[] = [];
    await until(
      async () => {
        rows = await queryDatabase<DeliveryRow>(database.url, 'SELECT event_id, status FROM webhook_deliveries WHERE endpoint_id = $1', [endpointId]);
        return rows.length >= EVENTS && rows.every((r) => r.status === 'success');
      },
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        message: () => `not every delivery succeeded: ${JSON.stringify(countBy(rows.map((r) => r.status)))}`,
      },
    );

    const received = receiver.eventIds();
    const recorded = new Set(rows.map((r) => r.event_id));
    expect([...acknowledged].filter((id) => !recorded.has(id)), 'acknowledged but not recorded').toEqual([]);
    expect([...recorded].filter((id) => !received.has(id)), 'recorded but never received').toEqual([]);
    expect(rows.length).toBe(recorded.size);
  }, 150_000);
});

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
