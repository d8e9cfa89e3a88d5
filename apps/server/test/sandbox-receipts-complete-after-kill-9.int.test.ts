/*
 * A sandbox instance's receipts survive a crash, with the real server process. The simulated phone keeps
 * its pending receipts as timers in memory, so a SIGKILL loses them; on resume it re-derives them from the
 * messages table (every message of the instance still `sent` or `delivered`).
 *
 * Receipts are 2 s apart here (`sent` ack at +2 s, `delivered` at +4 s, `read` at +6 s after a send), which
 * leaves room to catch both kinds of unfinished message before the kill: batch A is posted and waited on
 * until every message in it is `delivered`, then batch B is posted and waited on until it is `sent`, and
 * the process is killed at once. The restarted server (same database, same Redis prefix) must bring every
 * message to `read` with one `delivered` and one `read` entry in its trail, record each message event once,
 * and the webhook receiver must get `message.delivered` and `message.read` for every message (`delivered`
 * occurring first). Batch B's `message.sent` deliveries are not awaited: the kill may catch one in flight,
 * and its redelivery is the webhook worker's business, not the sandbox's.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { eventsOfMessage } from './support/message-events.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { queryDatabase } from './support/query-database.js';
import { until } from '@whatisup/test-infra';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const PER_BATCH = 3;

let database: TestDatabase;
let receiver: WebhookReceiver;
let env: TestEnv;
let server: ServerProcess;
let api: ApiClient;

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  env = testEnv(database.url, serverRedisUrl(), {
    REDIS_PREFIX: uniqueRedisPrefix('sandbox-receipts'),
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    SANDBOX_AUTO_SCAN_MS: '50',
    SANDBOX_RECEIPT_DELAY_MS: '2000',
    MESSAGE_MIN_GAP_MS: '0',
  });
  server = await startServer(env);
  api = createApiClient(() => server.url, await bootstrapKeyOf(server));
  const endpoint = await api.post('/v1/webhook-endpoints', {
    url: `${receiver.url}/events`,
    events: ['message.sent', 'message.delivered', 'message.read'],
  });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
}, 60_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await receiver?.close();
  await database?.drop();
});

interface Row extends Record<string, unknown> {
  id: string;
  status: string;
  trail: string[];
}

const statusesOf = (ids: readonly string[]) =>
  queryDatabase<Row>(
    database.url,
    `SELECT m.id, m.status, array(SELECT h.status FROM message_status_history h WHERE h.message_id = m.id ORDER BY h.id) AS trail
       FROM messages m WHERE m.id = ANY($1) ORDER BY m.seq`,
    [ids],
  );

async function postBatch(instanceId: string, name: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < PER_BATCH; i += 1) {
    const accepted = await api.post<{ message_id: string }>(`/v1/instances/${instanceId}/messages`, {
      to: '4915112345678',
      body: { type: 'text', text: `${name} ${i}` },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    ids.push(accepted.body.message_id);
  }
  return ids;
}

async function waitForStatus(ids: readonly string[], status: string, timeoutMs: number): Promise<void> {
  let rows: Row[] = [];
  await until(
    async () => {
      rows = await statusesOf(ids);
      return rows.length === ids.length && rows.every((row) => row.status === status);
    },
    { timeoutMs, intervalMs: 20, message: () => `not all ${status}: ${JSON.stringify(rows.map((row) => row.status))}` },
  );
}

describe('sandbox receipts through kill -9', () => {
  it('brings messages left sent or delivered to read after a restart, with their events', async () => {
    const instanceId = await connectSandboxInstance(api, 'receipts-crash');
    const delivered = await postBatch(instanceId, 'a');
    await waitForStatus(delivered, 'delivered', 15_000);
    // Their message.delivered went out before the kill; only batch B's message.sent may die in flight.
    await receiver.waitFor(
      (received) => delivered.every((id) => eventsOfMessage(received, id).some((event) => event.event === 'message.delivered')),
      'message.delivered for batch A',
      1_500,
    );
    const sent = await postBatch(instanceId, 'b');
    await waitForStatus(sent, 'sent', 1_500);
    await server.stop('SIGKILL');

    const atKill = await statusesOf([...delivered, ...sent]);
    expect(atKill.map((row) => row.status), 'batch A delivered and batch B sent when the process died').toEqual([
      ...delivered.map(() => 'delivered'),
      ...sent.map(() => 'sent'),
    ]);

    server = await startServer(env);
    const all = [...delivered, ...sent];
    await waitForStatus(all, 'read', 20_000);
    const rows = await statusesOf(all);
    for (const row of rows) expect(row.trail, row.id).toEqual(['queued', 'sent', 'delivered', 'read']);

    const names = (id: string) => eventsOfMessage(receiver.received, id).map((event) => event.event);
    const receipts = (id: string) => names(id).filter((name) => name !== 'message.sent');
    await receiver
      .waitFor(() => all.every((id) => receipts(id).length === 2), 'message.delivered and message.read for every message')
      .catch((error: unknown) => {
        throw new Error(`${String(error)}; got ${JSON.stringify(all.map(names))}`);
      });
    for (const id of all) {
      // Webhook deliveries run concurrently, so arrival order is not the order of events: occurred_at is.
      expect([...receipts(id)].sort(), id).toEqual(['message.delivered', 'message.read']);
      const at = (name: string) => Date.parse(eventsOfMessage(receiver.received, id).find((event) => event.event === name)!.occurred_at);
      expect(at('message.delivered'), id).toBeLessThanOrEqual(at('message.read'));
    }
    const recorded = await queryDatabase<{ message_id: string; events: string[] }>(
      database.url,
      `SELECT payload::jsonb -> 'data' ->> 'message_id' AS message_id, array_agg(event ORDER BY event) AS events
         FROM webhook_deliveries GROUP BY 1`,
    );
    expect(new Map(recorded.map((row) => [row.message_id, row.events])), 'each event recorded once').toEqual(
      new Map(all.map((id) => [id, ['message.delivered', 'message.read', 'message.sent']])),
    );
  }, 90_000);
});
