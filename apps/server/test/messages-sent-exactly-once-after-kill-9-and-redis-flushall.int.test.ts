/*
 * The outbox's guarantees through a crash, with the real server process: 500 messages are staged
 * on one sandbox instance (MESSAGE_MIN_GAP_MS small but not zero, so many are still queued), the process is
 * killed with SIGKILL (no shutdown code runs) while it is sending, its private Redis is wiped with FLUSHALL
 * (the outbox job and every queue key gone), and the server starts again on the same database, data
 * directory and Redis (without the pacing gap, so the test does not wait out 400 paced sends). Postgres alone must
 * re-drive the rest: the outbox sweeper wakes the instance, the resumed sandbox session reconnects, and every
 * message ends `sent` (or later) exactly once, still in acceptance order.
 *
 * What proves "exactly once": the sandbox assigns a fresh WhatsApp id to every send it performs, and the
 * outbox stores that id with the `sent` status in one write under the message's claim. So each message must
 * hold one WhatsApp id, its trail exactly one `sent` entry, and exactly one `message.sent` event (one delivery
 * row, and at most one distinct event id at the receiver), and no two messages may share a WhatsApp id.
 * (A send whose process dies after the phone accepted it and before that write commits would be sent again;
 * the drainer documents that window as unavoidable. The sandbox lives in the killed process, so it cannot
 * witness such a resend; the test kills between sends to keep the claim of the killed process out of it.)
 *
 * The kill lands at a moment Postgres shows no live claim (between two paced sends). If a claim was taken
 * in the instant between that check and the signal, the dead process's claim blocks the instance until it
 * expires: MESSAGE_CLAIM_LEASE_MS is 5 s here (150 s by default), so the test simply waits it out.
 *
 * The Redis is private to this file: FLUSHALL on the shared one would wipe every other test's queues.
 */
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { eventsOf, type MessageEventData } from './support/message-events.js';
import { postMessagesConcurrently } from './support/message-posting.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { redisServerBinaryOrSkip } from './support/redis-for-servers.js';
import { queryDatabase } from './support/query-database.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const MESSAGES = 500;

const canStartRedis = redisServerBinaryOrSkip('messages-sent-exactly-once-after-kill-9-and-redis-flushall');

let database: TestDatabase;
let redis: PrivateRedis;
let receiver: WebhookReceiver;
let env: TestEnv;
let server: ServerProcess;
let api: ApiClient;
let watcher: pg.Client;

beforeAll(async () => {
  if (!canStartRedis) return;
  database = await createTestDatabase();
  redis = await startPrivateRedis();
  receiver = await startWebhookReceiver();
  env = testEnv(database.url, redis.url, {
    REDIS_PREFIX: uniqueRedisPrefix('msg-chaos'),
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    SANDBOX_AUTO_SCAN_MS: '50',
    MESSAGE_MIN_GAP_MS: '25',
    MESSAGE_CLAIM_LEASE_MS: '5000',
    SWEEP_INTERVAL_MS: '500',
    RATE_LIMIT_CAPACITY: '100000',
    RATE_LIMIT_REFILL_PER_SECOND: '100000',
  });
  server = await startServer(env);
  api = createApiClient(() => server.url, await bootstrapKeyOf(server));
  const endpoint = await api.post('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: ['message.sent'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  watcher = new pg.Client({ connectionString: database.url });
  await watcher.connect();
}, 60_000);

afterAll(async () => {
  await watcher?.end();
  await server?.stop('SIGKILL');
  await receiver?.close();
  await redis?.stop();
  await database?.drop();
});

interface OutboxState {
  queued: number;
  claimed: number;
}

async function outboxState(instanceId: string): Promise<OutboxState> {
  const { rows } = await watcher.query<{ queued: string; claimed: string }>(
    `SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
            count(*) FILTER (WHERE claimed_until > now()) AS claimed
       FROM messages WHERE instance_id = $1`,
    [instanceId],
  );
  return { queued: Number(rows[0]!.queued), claimed: Number(rows[0]!.claimed) };
}

interface FinalRow extends Record<string, unknown> {
  id: string;
  status: string;
  whatsapp_id: string | null;
  sent_entries: string;
  sent_deliveries: string;
  sent_entry_id: string | null;
}

// Skips only where no redis-server binary exists outside CI (printed by redisServerBinaryOrSkip); CI fails instead.
describe.skipIf(!canStartRedis)('the outbox through kill -9 and FLUSHALL', () => {
  it(`ends every one of ${MESSAGES} staged messages sent exactly once`, async () => {
    const instanceId = await connectSandboxInstance(api, 'chaos');
    const posted = await postMessagesConcurrently(api, instanceId, MESSAGES, {
      concurrency: 50,
      bodyOf: (i) => ({ to: '4915112345678', body: { type: 'text', text: `chaos ${i}` }, client_ref: `chaos-${i}` }),
    });
    expect(posted.filter((p) => p.status !== 202)).toEqual([]);
    const acknowledged = new Set(posted.map((p) => p.messageId));
    expect(acknowledged.size).toBe(MESSAGES);

    // Kill between two paced sends: some sent, many queued, no claim held.
    let atKill: OutboxState = { queued: 0, claimed: 0 };
    await until(
      async () => {
        atKill = await outboxState(instanceId);
        if (atKill.queued === MESSAGES || atKill.claimed > 0) return false;
        server.child.kill('SIGKILL');
        return true;
      },
      { timeoutMs: 15_000, intervalMs: 1, message: () => `no moment to kill: ${JSON.stringify(atKill)}` },
    );
    await server.stop('SIGKILL');
    expect(atKill.queued, 'many messages were still queued at the kill').toBeGreaterThanOrEqual(MESSAGES / 5);
    expect(atKill.queued, 'some were sent before the kill').toBeLessThan(MESSAGES);

    await redis.flushAll();
    expect(await redis.keyCount()).toBe(0);
    // Pacing is not under test here: the restarted process sends without a gap, so what is left drains in seconds.
    server = await startServer({ ...env, MESSAGE_MIN_GAP_MS: '0' });

    let queued = MESSAGES;
    await until(
      async () => {
        queued = (await outboxState(instanceId)).queued;
        return queued === 0;
      },
      { timeoutMs: 60_000, intervalMs: 250, message: () => `${queued} of ${MESSAGES} still queued after the restart` },
    );

    const rows = await queryDatabase<FinalRow>(
      database.url,
      `WITH sent_entries AS (
         SELECT message_id, count(*) AS n, min(id) AS first_id FROM message_status_history WHERE status = 'sent' GROUP BY message_id
       ), sent_deliveries AS (
         SELECT payload::jsonb -> 'data' ->> 'message_id' AS message_id, count(*) AS n
           FROM webhook_deliveries WHERE event = 'message.sent' GROUP BY 1
       )
       SELECT m.id, m.status, m.whatsapp_id, coalesce(e.n, 0)::text AS sent_entries, coalesce(d.n, 0)::text AS sent_deliveries, e.first_id::text AS sent_entry_id
         FROM messages m
         LEFT JOIN sent_entries e ON e.message_id = m.id
         LEFT JOIN sent_deliveries d ON d.message_id = m.id
        WHERE m.instance_id = $1
        ORDER BY m.seq`,
      [instanceId],
    );
    expect(new Set(rows.map((row) => row.id))).toEqual(acknowledged);
    expect(rows.filter((row) => !['sent', 'delivered', 'read'].includes(row.status))).toEqual([]);
    expect(rows.filter((row) => row.whatsapp_id === null)).toEqual([]);
    expect(new Set(rows.map((row) => row.whatsapp_id)).size, 'one WhatsApp id per message, none shared').toBe(MESSAGES);
    expect(rows.filter((row) => row.sent_entries !== '1'), 'exactly one sent entry in each trail').toEqual([]);
    expect(rows.filter((row) => row.sent_deliveries !== '1'), 'exactly one message.sent event each').toEqual([]);
    const sendOrder = rows.map((row) => Number(row.sent_entry_id));
    expect(sendOrder.every((id, i) => i === 0 || id > sendOrder[i - 1]!), 'still sent in acceptance (seq) order across the crash').toBe(true);

    const eventIdsPerMessage = new Map<string, Set<string>>();
    for (const event of eventsOf<MessageEventData>(receiver.received, 'message.sent')) {
      const ids = eventIdsPerMessage.get(event.data.message_id) ?? new Set<string>();
      eventIdsPerMessage.set(event.data.message_id, ids.add(event.event_id));
    }
    expect([...eventIdsPerMessage].filter(([, ids]) => ids.size > 1), 'no message announced sent twice').toEqual([]);
    const whatsappIdOf = new Map(rows.map((row) => [row.id, row.whatsapp_id]));
    for (const event of eventsOf<MessageEventData>(receiver.received, 'message.sent')) {
      expect(event.data.whatsapp_id).toBe(whatsappIdOf.get(event.data.message_id));
    }
  }, 120_000);
});
