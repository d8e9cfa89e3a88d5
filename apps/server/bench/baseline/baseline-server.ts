/*
 * The baselines the bench compares the server with, in their own process beside it: the least a server
 * must do for the same work on the same machine, with the same libraries and pool sizes and nothing else
 * (no authentication, rate limit, tenancy, audit, signing, claim or retry bookkeeping).
 *
 *  - `POST /messages/:instanceId`: validates a body shaped like a text message, INSERTs it and adds one
 *    BullMQ job (nothing consumes it): the floor of a staged send.
 *  - `POST /events`: INSERTs a delivery row and adds a BullMQ job; a BullMQ worker (`BASELINE_CONCURRENCY`)
 *    POSTs the row's payload with undici to the row's URL and UPDATEs the row: the floor of a webhook
 *    pipeline. The request carries `X-WhatIsUp-Event-Id` and `occurred_at` like ours, so the bench's
 *    receiver counts both the same way.
 *
 * Env: DATABASE_URL (the bench database; the tables are created here), REDIS_URL, REDIS_PREFIX, PORT.
 * It answers GET /healthz once ready.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { request } from 'undici';
import * as v from 'valibot';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 10 });
await pool.query(`
  CREATE TABLE IF NOT EXISTS baseline_messages (
    id uuid PRIMARY KEY, instance_id text NOT NULL, recipient text NOT NULL, body jsonb NOT NULL,
    status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS baseline_deliveries (
    id uuid PRIMARY KEY, url text NOT NULL, payload text NOT NULL, status text NOT NULL,
    attempts integer NOT NULL DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now(), delivered_at timestamptz);
`);

const prefix = `${env('REDIS_PREFIX')}:baseline`;
const redis = () => new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null });
const messageQueue = new Queue('messages', { connection: redis(), prefix });
const deliveryQueue = new Queue('deliveries', { connection: redis(), prefix });
const jobOptions = { removeOnComplete: true, removeOnFail: true } as const;

const worker = new Worker(
  'deliveries',
  async (job) => {
    const id = (job.data as { id: string }).id;
    const row = await pool.query<{ url: string; payload: string }>('SELECT url, payload FROM baseline_deliveries WHERE id = $1', [id]);
    const delivery = row.rows[0];
    if (delivery === undefined) return;
    const response = await request(delivery.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-whatisup-event-id': id },
      body: delivery.payload,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await response.body.dump();
    await pool.query("UPDATE baseline_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = now() WHERE id = $1", [id]);
  },
  { connection: redis(), prefix, concurrency: Number(env('BASELINE_CONCURRENCY')) },
);

const MessageBody = v.object({
  to: v.pipe(v.string(), v.regex(/^\d{6,15}$/)),
  body: v.variant('type', [v.object({ type: v.literal('text'), text: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)) })]),
});
const EventBody = v.object({ url: v.pipe(v.string(), v.url()) });

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ ok: true }));
app.post<{ Params: { instanceId: string } }>('/messages/:instanceId', async (req, reply) => {
  const parsed = v.safeParse(MessageBody, req.body);
  if (!parsed.success) return reply.code(400).send({ error: 'invalid body' });
  const id = randomUUID();
  await pool.query("INSERT INTO baseline_messages (id, instance_id, recipient, body, status) VALUES ($1, $2, $3, $4, 'queued')", [
    id,
    req.params.instanceId,
    parsed.output.to,
    JSON.stringify(parsed.output.body),
  ]);
  await messageQueue.add('send', { id }, { ...jobOptions, jobId: id });
  return reply.code(202).send({ message_id: id, status: 'queued' });
});
app.post('/events', async (req, reply) => {
  const parsed = v.safeParse(EventBody, req.body);
  if (!parsed.success) return reply.code(400).send({ error: 'invalid body' });
  const id = randomUUID();
  const payload = JSON.stringify({ id, type: 'webhook.test', occurred_at: new Date().toISOString(), data: { test: true } });
  await pool.query("INSERT INTO baseline_deliveries (id, url, payload, status) VALUES ($1, $2, $3, 'pending')", [id, parsed.output.url, payload]);
  await deliveryQueue.add('deliver', { id }, { ...jobOptions, jobId: id });
  return reply.code(202).send({ event_id: id });
});

await app.listen({ host: '127.0.0.1', port: Number(env('PORT')) });

process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    await worker.close();
    await Promise.all([messageQueue.close(), deliveryQueue.close()]);
    await pool.end();
    process.exit(0);
  })();
});
