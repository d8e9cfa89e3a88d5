/*
 * Ordering and idempotency, with the real server process and MESSAGE_MIN_GAP_MS=0 (so sending races
 * staging as hard as it can).
 *
 * What "acceptance order" means under concurrent posts: the order in which the staged rows committed, which
 * is their `seq` (stages of one instance draw their seq and commit one after another, under a per-instance
 * lock). Concurrent requests have no order of their own; but when one request's 202 came back before another
 * request was made, the client knows the first was accepted first, so its seq must be lower. The test checks
 * both: seq respects every such client-visible order, and the sends happened in seq order. The send order is
 * read from Postgres (each message's `sent` trail entry gets an identity id in the transaction that records
 * the send, one send at a time per instance) and from the outside (the `sent` times GET /v1/messages/:id
 * shows, and the `message.sent` webhooks, never earlier for a later seq).
 *
 * Idempotency: 20 concurrent identical requests with one Idempotency-Key (and, separately, one client_ref)
 * make one message: one row, one `sent`, one `message.sent`, and every answer carries its id.
 */
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { eventsOf, eventsOfMessage, type MessageEventData } from './support/message-events.js';
import { postMessagesConcurrently } from './support/message-posting.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { queryDatabase } from './support/query-database.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const MESSAGES = 200;
const IN_FLIGHT = 50;
const DUPLICATES = 20;

let database: TestDatabase;
let receiver: WebhookReceiver;
let server: ServerProcess;
let api: ApiClient;
let key: string;

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  server = await startServer(
    testEnv(database.url, serverRedisUrl(), {
      REDIS_PREFIX: uniqueRedisPrefix('msg-order'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
      MESSAGE_MIN_GAP_MS: '0',
      RATE_LIMIT_CAPACITY: '100000',
      RATE_LIMIT_REFILL_PER_SECOND: '100000',
    }),
  );
  key = await bootstrapKeyOf(server);
  api = createApiClient(server.url, key);
  const endpoint = await api.post('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: ['message.sent'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

interface SentRow extends Record<string, unknown> {
  id: string;
  seq: string;
  status: string;
  whatsapp_id: string | null;
  sent_entries: string;
  sent_entry_id: string | null;
}

/** Every message of the instance in seq order, with its `sent` trail entries (count and the first's id). */
function messagesInSeqOrder(instanceId: string): Promise<SentRow[]> {
  return queryDatabase<SentRow>(
    database.url,
    `SELECT m.id, m.seq, m.status, m.whatsapp_id,
            (SELECT count(*) FROM message_status_history h WHERE h.message_id = m.id AND h.status = 'sent') AS sent_entries,
            (SELECT min(h.id) FROM message_status_history h WHERE h.message_id = m.id AND h.status = 'sent') AS sent_entry_id
       FROM messages m WHERE m.instance_id = $1 ORDER BY m.seq`,
    [instanceId],
  );
}

async function waitUntilNoneQueued(instanceId: string, expected: number): Promise<SentRow[]> {
  let rows: SentRow[] = [];
  await until(
    async () => {
      rows = await messagesInSeqOrder(instanceId);
      return rows.length === expected && rows.every((row) => row.status !== 'queued');
    },
    { timeoutMs: 30_000, intervalMs: 200, message: () => `${rows.filter((r) => r.status === 'queued').length} of ${rows.length} still queued` },
  );
  return rows;
}

const isIncreasing = (values: readonly number[]): boolean => values.every((value, i) => i === 0 || value > values[i - 1]!);
const isNonDecreasing = (values: readonly number[]): boolean => values.every((value, i) => i === 0 || value >= values[i - 1]!);

describe(`${MESSAGES} messages posted concurrently to one sandbox instance`, () => {
  it('are sent in acceptance order: the seq every client-visible order agrees with', async () => {
    const instanceId = await connectSandboxInstance(api, 'ordering');
    const posted = await postMessagesConcurrently(api, instanceId, MESSAGES, {
      concurrency: IN_FLIGHT,
      bodyOf: (i) => ({ to: '4915112345678', body: { type: 'text', text: `message ${i}` }, client_ref: `ordered-${i}` }),
    });
    expect(posted.filter((p) => p.status !== 202)).toEqual([]);
    expect(new Set(posted.map((p) => p.messageId)).size).toBe(MESSAGES);

    const rows = await waitUntilNoneQueued(instanceId, MESSAGES);
    expect(rows.filter((row) => row.status === 'failed')).toEqual([]);
    const seqOf = new Map(rows.map((row) => [row.id, Number(row.seq)]));

    // Acceptance order agrees with the client: answered before another was asked means a lower seq.
    let orderedPairs = 0;
    for (const earlier of posted) {
      for (const later of posted) {
        if (earlier.answeredAt >= later.startedAt) continue;
        orderedPairs += 1;
        expect(seqOf.get(earlier.messageId)!, `${earlier.index} was answered before ${later.index} was posted`).toBeLessThan(seqOf.get(later.messageId)!);
      }
    }
    expect(orderedPairs, 'the posts gave the client some order to check').toBeGreaterThan(1_000);

    // Sent in seq order, each exactly once.
    expect(rows.map((row) => Number(row.sent_entries))).toEqual(rows.map(() => 1));
    expect(isIncreasing(rows.map((row) => Number(row.sent_entry_id))), 'sent trail entries follow seq').toBe(true);

    // From the outside: the API's sent times and the message.sent webhooks never go back in seq order.
    const sentAt: number[] = [];
    for (const row of rows) {
      const shown = await api.get<{ history: Array<{ status: string; at: string }> }>(`/v1/messages/${row.id}`);
      expect(shown.status).toBe(200);
      sentAt.push(Date.parse(shown.body.history.find((h) => h.status === 'sent')!.at));
    }
    expect(isNonDecreasing(sentAt), 'sent times in seq order').toBe(true);

    const ids = new Set(rows.map((row) => row.id));
    await receiver.waitFor((all) => eventsOf<MessageEventData>(all, 'message.sent').filter((e) => ids.has(e.data.message_id)).length >= MESSAGES, `${MESSAGES} message.sent`);
    const sentEvents = eventsOf<MessageEventData>(receiver.received, 'message.sent').filter((e) => ids.has(e.data.message_id));
    expect(sentEvents).toHaveLength(MESSAGES);
    const eventOf = new Map(sentEvents.map((e) => [e.data.message_id, e]));
    expect(isNonDecreasing(rows.map((row) => Date.parse(eventOf.get(row.id)!.occurred_at))), 'message.sent times in seq order').toBe(true);
    expect(rows.map((row) => eventOf.get(row.id)!.data.whatsapp_id)).toEqual(rows.map((row) => row.whatsapp_id));
  }, 90_000);
});

describe(`${DUPLICATES} concurrent identical requests`, () => {
  let instanceId = '';
  beforeAll(async () => {
    instanceId = await connectSandboxInstance(api, 'idempotency');
  });

  async function sendAll(request: unknown, headers: Record<string, string>) {
    return Promise.all(
      Array.from({ length: DUPLICATES }, async () => {
        const response = await fetch(`${server.url}/v1/instances/${instanceId}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
          body: JSON.stringify(request),
        });
        return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as { message_id: string } };
      }),
    );
  }

  async function expectOneMessageSentOnce(answers: Awaited<ReturnType<typeof sendAll>>) {
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    const messageIds = new Set(answers.map((a) => a.body.message_id));
    expect(messageIds.size).toBe(1);
    expect(answers.filter((a) => a.replayed === null)).toHaveLength(1);
    const [messageId] = [...messageIds] as [string];

    const rows = await waitUntilNoneQueued(instanceId, (await messagesInSeqOrder(instanceId)).length);
    const row = rows.find((r) => r.id === messageId);
    expect(row).toMatchObject({ sent_entries: '1', whatsapp_id: expect.any(String) });
    await receiver.waitFor((all) => eventsOfMessage(all, messageId).length > 0, `message.sent for ${messageId}`);
    const deliveries = await queryDatabase<{ n: string }>(
      database.url,
      "SELECT count(*) AS n FROM webhook_deliveries WHERE event = 'message.sent' AND payload::jsonb -> 'data' ->> 'message_id' = $1",
      [messageId],
    );
    expect(deliveries[0]!.n).toBe('1');
    expect(eventsOfMessage(receiver.received, messageId)).toHaveLength(1);
    return messageId;
  }

  it('with one Idempotency-Key create one message, sent once, and every answer carries its id', async () => {
    const request = { to: '4915112345678', body: { type: 'text', text: 'pay invoice 7' } };
    const answers = await sendAll(request, { 'idempotency-key': 'invoice-7' });
    const messageId = await expectOneMessageSentOnce(answers);
    const rows = await queryDatabase(database.url, 'SELECT id FROM messages WHERE idempotency_key = $1', ['invoice-7']);
    expect(rows).toEqual([{ id: messageId }]);
  });

  it('with one client_ref create one message, sent once', async () => {
    const answers = await sendAll({ to: '4915112345678', body: { type: 'text', text: 'ship order 8' }, client_ref: 'order-8' }, {});
    await expectOneMessageSentOnce(answers);
  });

  it('answers the same Idempotency-Key with a different body 409 idempotency_conflict and stages nothing', async () => {
    const before = await messagesInSeqOrder(instanceId);
    const conflict = await fetch(`${server.url}/v1/instances/${instanceId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'invoice-7' },
      body: JSON.stringify({ to: '4915112345678', body: { type: 'text', text: 'pay invoice 7 twice' } }),
    });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: 'idempotency_conflict' }, request_id: expect.stringMatching(/^req_/) });
    expect(await messagesInSeqOrder(instanceId)).toHaveLength(before.length);
  });
});
