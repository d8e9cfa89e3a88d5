/*
 * A Redis outage never hangs the API or shutdown, and loses nothing. With the server on a private Redis and
 * a connected sandbox instance, Redis is killed while clients keep sending:
 *   - every `POST …/messages` and `POST /v1/webhook-endpoints/:id/test` still answers 202 within a short
 *     deadline (the row is staged in Postgres; the wake-up in Redis is best-effort);
 *   - `GET /v1/limits` answers 503 `unavailable` and `/readyz` 503 naming Redis as the failing check;
 *   - SIGTERM during the outage ends the process within SHUTDOWN_TIMEOUT_MS.
 * Then Redis (empty: it has no persistence) and the server come back, and the sweepers re-drive what was
 * staged: every message ends `sent` exactly once (one WhatsApp id, one `sent` trail entry, one
 * `message.sent` event each), in acceptance order, and the test event is delivered.
 */
import { createTestDatabase, sleep, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { eventsOf, type MessageEventData } from './support/message-events.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { redisServerBinaryOrSkip } from './support/redis-for-servers.js';
import { queryDatabase } from './support/query-database.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const SHUTDOWN_TIMEOUT_MS = 4_000;
/** The longest an API request may take while Redis is down: the queue's 1 s deadline plus slack. */
const REQUEST_DEADLINE_MS = 2_500;
const LOAD_MS = 2_500;
const LANES = 4;
const PACE_MS = 50;

const canStartRedis = redisServerBinaryOrSkip('keeps-answering-through-a-redis-outage-and-sends-everything-once-after');

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
  env = testEnv(database.url, redis.url, {
    REDIS_PREFIX: uniqueRedisPrefix('outage'),
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    SANDBOX_AUTO_SCAN_MS: '50',
    MESSAGE_MIN_GAP_MS: '0',
    SWEEP_INTERVAL_MS: '300',
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    RATE_LIMIT_CAPACITY: '100000',
    RATE_LIMIT_REFILL_PER_SECOND: '100000',
  });
  server = await startServer(env);
  api = createApiClient(() => server.url, await bootstrapKeyOf(server));
  const endpoint = await api.post<{ id: string }>('/v1/webhook-endpoints', {
    url: `${receiver.url}/events`,
    events: ['message.sent', 'webhook.test'],
  });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  endpointId = endpoint.body.id;
}, 60_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await receiver?.close();
  await redis?.stop();
  await database?.drop();
});

interface Timed {
  readonly what: string;
  readonly status: number;
  readonly ms: number;
  readonly body: Record<string, unknown> | null;
}

async function timed(what: string, call: () => Promise<{ status: number; body: unknown }>): Promise<Timed> {
  const started = performance.now();
  const { status, body } = await call();
  return { what, status, ms: performance.now() - started, body: body as Record<string, unknown> | null };
}

const send = (instanceId: string, ref: string) =>
  timed(`message ${ref}`, () => api.post(`/v1/instances/${instanceId}/messages`, { to: '4915112345678', body: { type: 'text', text: ref }, client_ref: ref }));

// Skips only where no redis-server binary exists outside CI (printed by redisServerBinaryOrSkip); CI fails instead.
describe.skipIf(!canStartRedis)('a Redis outage', () => {
  it('answers every request within its deadline, reports Redis down, shuts down in time, then sends everything once', async () => {
    const instanceId = await connectSandboxInstance(api, 'outage');
    const before = await Promise.all([send(instanceId, 'before-0'), send(instanceId, 'before-1')]);
    expect(before.map((r) => r.status)).toEqual([202, 202]);

    await redis.stop();

    // Steady load while Redis is gone: a few lanes, each sending every PACE_MS, one test event among them.
    const answers: Timed[] = [];
    const loadEndsAt = performance.now() + LOAD_MS;
    let counter = 0;
    const lane = async () => {
      while (performance.now() < loadEndsAt) {
        answers.push(await send(instanceId, `during-${counter++}`));
        await sleep(PACE_MS);
      }
    };
    const testEvent = timed('test event', () => api.post(`/v1/webhook-endpoints/${endpointId}/test`));
    await Promise.all([...Array.from({ length: LANES }, lane), testEvent.then((r) => answers.push(r))]);
    const slowOrFailed = answers.filter((r) => r.status !== 202 || r.ms > REQUEST_DEADLINE_MS);
    expect(slowOrFailed.map(({ what, status, ms }) => ({ what, status, ms: Math.round(ms) }))).toEqual([]);
    expect(answers.length, 'the load kept going').toBeGreaterThan(LANES * 3);

    const limits = await timed('limits', () => api.get('/v1/limits'));
    expect(limits).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(limits.ms).toBeLessThan(REQUEST_DEADLINE_MS);
    const ready = await timed('readyz', () => fetch(`${server.url}/readyz`).then(async (r) => ({ status: r.status, body: await r.json() })));
    expect(ready).toMatchObject({
      status: 503,
      body: { error: { code: 'unavailable', details: { checks: { postgres: true, redis: false } } } },
    });
    expect(ready.ms).toBeLessThan(REQUEST_DEADLINE_MS);

    const stopping = performance.now();
    const code = await server.stop('SIGTERM');
    const stopMs = performance.now() - stopping;
    expect(stopMs, `exit ${code} after ${Math.round(stopMs)} ms`).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1_000);
    expect(code, server.output().slice(-3000)).toBe(0);
    // Ten Redis connections (the shared delivery and outbox queues and their workers, this node's own outbox
    // queue and its worker, the host gate, the rate limiter, the event feed's publisher and subscriber): one
    // line each, not one per reconnect attempt, sweep or request. (Lines of a request, with a request_id, are the HTTP edge's
    // fail-open notes of the rate limiter: counted by whatisup_rate_limiter_failures_total.)
    const lines = server.output().split('\n').filter((line) => /"level":(40|50)/.test(line) && !line.includes('"request_id"'));
    const redisLines = lines.filter((line) => line.includes('Redis'));
    expect(redisLines.length, `the outage is logged once per connection:\n${redisLines.join('\n')}`).toBeLessThanOrEqual(10);
    expect(lines.filter((line) => line.includes('after-commit')), 'no wake-up failure logged per request').toEqual([]);

    // Redis comes back empty, and so does the server: Postgres alone re-drives what was staged.
    redis = await startPrivateRedis({ port: redis.port });
    server = await startServer(env);

    const staged = new Set([...before, ...answers].map((r) => r.body?.message_id).filter((id): id is string => typeof id === 'string'));
    let left = staged.size;
    await until(
      async () => {
        const rows = await queryDatabase<{ n: string }>(
          database.url,
          `SELECT count(*)::text AS n FROM messages WHERE instance_id = $1 AND status = 'queued'`,
          [instanceId],
        );
        left = Number(rows[0]!.n);
        return left === 0;
      },
      { timeoutMs: 20_000, intervalMs: 100, message: () => `${left} messages still queued after Redis came back` },
    );

    const rows = await queryDatabase<{ id: string; status: string; whatsapp_id: string | null; sent_entries: string; sent_entry_id: string | null }>(
      database.url,
      `WITH sent_entries AS (
         SELECT message_id, count(*) AS n, min(id) AS first_id FROM message_status_history WHERE status = 'sent' GROUP BY message_id
       )
       SELECT m.id, m.status, m.whatsapp_id, coalesce(e.n, 0)::text AS sent_entries, e.first_id::text AS sent_entry_id
         FROM messages m LEFT JOIN sent_entries e ON e.message_id = m.id
        WHERE m.instance_id = $1 ORDER BY m.seq`,
      [instanceId],
    );
    expect(new Set(rows.map((row) => row.id))).toEqual(staged);
    expect(rows.filter((row) => !['sent', 'delivered', 'read'].includes(row.status))).toEqual([]);
    expect(new Set(rows.map((row) => row.whatsapp_id)).size, 'one WhatsApp id per message, none shared').toBe(rows.length);
    expect(rows.filter((row) => row.sent_entries !== '1'), 'exactly one sent entry in each trail').toEqual([]);
    const sendOrder = rows.map((row) => Number(row.sent_entry_id));
    expect(sendOrder.every((id, i) => i === 0 || id > sendOrder[i - 1]!), 'sent in acceptance (seq) order').toBe(true);

    // Every staged message is announced sent once, and the test event accepted during the outage arrives.
    await receiver.waitFor(
      (all) => new Set(eventsOf<MessageEventData>(all, 'message.sent').map((e) => e.data.message_id)).size === staged.size
        && eventsOf(all, 'webhook.test').length > 0,
      'every message.sent event and the test event',
    );
    const eventIds = new Map<string, Set<string>>();
    for (const event of eventsOf<MessageEventData>(receiver.received, 'message.sent')) {
      eventIds.set(event.data.message_id, (eventIds.get(event.data.message_id) ?? new Set()).add(event.event_id));
    }
    expect([...eventIds].filter(([, ids]) => ids.size > 1), 'no message announced sent twice').toEqual([]);
  }, 60_000);
});

