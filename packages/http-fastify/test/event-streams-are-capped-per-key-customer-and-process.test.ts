import { createFakeClock, createInMemoryRateLimiter } from '@whatisup/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectionLimits, createStreamSlots, planConnections, type StreamSlots } from '../src/index.js';
import { buildTestApp, type TestApp } from './support/build-test-app.js';
import { openSse, type SseConnection } from './support/sse-client.js';
import { until } from '@whatisup/test-infra';

let subject: TestApp<{ sessions: true }>;
let base: string;
const open: SseConnection[] = [];

async function start(stream: { streams?: StreamSlots; rateLimiter?: ReturnType<typeof createInMemoryRateLimiter> }) {
  subject = await buildTestApp({ sessions: { stream }, ...(stream.rateLimiter ? { rateLimiter: stream.rateLimiter } : {}) });
  base = await subject.app.listen({ port: 0, host: '127.0.0.1' });
}

async function stream(auth: Record<string, string>) {
  const connection = await openSse(base, '/v1/events', auth);
  open.push(connection);
  return connection;
}

const errorOf = (connection: SseConnection) => JSON.parse(connection.text()) as { error: { code: string; message: string; details: Record<string, unknown> }; request_id: string };

afterEach(async () => {
  open.splice(0).forEach((connection) => connection.close());
  await subject.close();
});

describe('caps on open event streams', () => {
  it('answers a stream past the per-key, per-customer and process caps with 429 in the envelope and Retry-After', async () => {
    await start({ streams: createStreamSlots({ perKey: 2, perCustomer: 3, total: 5 }) });
    const a = await subject.newCustomer('A');
    const a2 = await subject.newKey(a.customerId);
    const b = await subject.newCustomer('B');
    const c = await subject.newCustomer('C');

    expect((await stream(a.auth)).status).toBe(200);
    expect((await stream(a.auth)).status).toBe(200);
    const pastKey = await stream(a.auth);
    expect(pastKey.status).toBe(429);
    expect(pastKey.headers['retry-after']).toBe('10');
    await pastKey.ended;
    expect(errorOf(pastKey)).toMatchObject({
      error: { code: 'rate_limited', details: { reason: 'too_many_streams', scope: 'key', limit: 2 } },
      request_id: expect.stringMatching(/^req_/),
    });
    expect(errorOf(pastKey).error.message).toContain('at most 2');

    expect((await stream(a2.auth)).status).toBe(200);
    const pastCustomer = await stream(a2.auth);
    expect(pastCustomer.status).toBe(429);
    await pastCustomer.ended;
    expect(errorOf(pastCustomer).error.details).toMatchObject({ scope: 'customer', limit: 3 });

    expect((await stream(b.auth)).status).toBe(200);
    expect((await stream(b.auth)).status).toBe(200);
    const pastProcess = await stream(c.auth);
    expect(pastProcess.status).toBe(429);
    await pastProcess.ended;
    expect(errorOf(pastProcess).error.details).toMatchObject({ scope: 'process', limit: 5 });

    // Other customers' ordinary requests are still served.
    expect((await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: c.auth })).statusCode).toBe(200);
  });

  it('gives the slot back when a stream ends, so the client can open another', async () => {
    const slots = createStreamSlots({ perKey: 1, perCustomer: 1, total: 10 });
    await start({ streams: slots });
    const a = await subject.newCustomer();
    const first = await stream(a.auth);
    expect(first.status).toBe(200);
    expect((await stream(a.auth)).status).toBe(429);
    first.close();
    await until(() => slots.open() === 0);
    expect((await stream(a.auth)).status).toBe(200);
  });

  it('charges each stream opened to the customer\'s rate bucket', async () => {
    const rateLimiter = createInMemoryRateLimiter({ capacity: 2, refillPerSecond: 0.001, clock: createFakeClock() });
    await start({ rateLimiter, streams: createStreamSlots({ perKey: 50, perCustomer: 50, total: 50 }) });
    const a = await subject.newCustomer('A');
    const b = await subject.newCustomer('B');
    const first = await stream(a.auth);
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    expect((await stream(a.auth)).status).toBe(200);
    const refused = await stream(a.auth);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    await refused.ended;
    expect(errorOf(refused).error.code).toBe('rate_limited');
    expect((await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: b.auth })).statusCode).toBe(200);
  });

  it('applies a default cap of 20 streams per key when none is configured', async () => {
    await start({});
    const a = await subject.newCustomer();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await stream(a.auth)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('the connection budget', () => {
  it('sets server.maxConnections below the open-file limit and shows the caps in /readyz', async () => {
    const plan = planConnections({ openFileLimit: 1024, reservedDescriptors: 300, maxStreamsPerKey: 5, maxStreamsPerCustomer: 7 });
    subject = (await buildTestApp({ sessions: true, connectionLimits: createConnectionLimits(plan) })) as TestApp<{ sessions: true }>;
    expect(subject.app.server.maxConnections).toBe(724);
    const ready = await subject.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().details.connections).toEqual({
      open_file_limit: 1024,
      reserved_descriptors: 300,
      max_connections: 724,
      max_streams: 543,
      max_streams_per_customer: 7,
      max_streams_per_key: 5,
      open_streams: 0,
    });
  });

  it('never lets the stream cap take every connection, and keeps a floor under a tiny limit', () => {
    expect(planConnections({ openFileLimit: 20_000, reservedDescriptors: 1_000, maxStreams: 1_000_000 }).streams.total).toBe(14_250);
    expect(planConnections({ openFileLimit: 20_000, reservedDescriptors: 1_000, maxStreams: 500 }).streams.total).toBe(500);
    expect(planConnections({ openFileLimit: 256, reservedDescriptors: 1_000 }).maxConnections).toBe(16);
  });
});
