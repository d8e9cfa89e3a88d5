import { createFakeClock, createInMemoryRateLimiter, type FakeClock } from '@whatisup/core/testing';
import type { RateLimiter } from '@whatisup/core';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('per-customer rate limiting on /v1', () => {
  let subject: TestApp;
  let clock: FakeClock;
  afterEach(async () => subject.app.close());

  async function setUp(capacity = 3, refillPerSecond = 1): Promise<void> {
    clock = createFakeClock();
    subject = await buildTestApp({ rateLimiter: createInMemoryRateLimiter({ capacity, refillPerSecond, clock }) });
  }
  const get = (url: string, headers: Record<string, string> = {}) => subject.app.inject({ method: 'GET', url, headers });

  it('sets X-RateLimit-Limit, -Remaining and -Reset on every /v1 response', async () => {
    await setUp(3, 1);
    const { auth } = await subject.newCustomer();
    const first = await get('/v1/instances', auth);
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    // One token spent at 1/s: full again one second from now, in unix seconds.
    expect(first.headers['x-ratelimit-reset']).toBe(String(Math.ceil((clock.now().getTime() + 1_000) / 1000)));
    expect((await get('/v1/instances', auth)).headers['x-ratelimit-remaining']).toBe('1');
  });

  it('answers an empty bucket with 429 rate_limited in the envelope, with Retry-After in seconds', async () => {
    await setUp(2, 0.25);
    const { auth } = await subject.newCustomer();
    await get('/v1/instances', auth);
    await get('/v1/instances', auth);
    const refused = await get('/v1/instances', auth);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('4');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.headers['x-ratelimit-limit']).toBe('2');
    const body = refused.json();
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.details).toMatchObject({ retry_after_seconds: 4, limit: 2 });
    expect(body.request_id).toBe(refused.headers['x-request-id']);
  });

  it('only peeks for a request another node forwarded after charging it, and charges anything else', async () => {
    clock = createFakeClock();
    subject = await buildTestApp({
      rateLimiter: createInMemoryRateLimiter({ capacity: 2, refillPerSecond: 0.001, clock }),
      chargedByForwarder: (request) => request.headers['x-test-hop'] === 'valid',
    });
    const { auth } = await subject.newCustomer();
    for (let i = 0; i < 3; i++) {
      const forwarded = await get('/v1/instances', { ...auth, 'x-test-hop': 'valid' });
      expect(forwarded.statusCode).toBe(200);
      expect(forwarded.headers['x-ratelimit-remaining']).toBe('2');
    }
    expect((await get('/v1/instances', { ...auth, 'x-test-hop': 'forged' })).headers['x-ratelimit-remaining']).toBe('1');
  });

  it('lets requests through again once the bucket has refilled', async () => {
    await setUp(1, 2);
    const { auth } = await subject.newCustomer();
    await get('/v1/instances', auth);
    expect((await get('/v1/instances', auth)).statusCode).toBe(429);
    clock.advance(499);
    expect((await get('/v1/instances', auth)).statusCode).toBe(429);
    clock.advance(1);
    expect((await get('/v1/instances', auth)).statusCode).toBe(200);
  });

  it('shows the bucket at GET /v1/limits without spending a token', async () => {
    await setUp(5, 2);
    const { auth } = await subject.newCustomer();
    await get('/v1/instances', auth);
    for (let i = 0; i < 3; i++) {
      const limits = await get('/v1/limits', auth);
      expect(limits.statusCode).toBe(200);
      expect(limits.json()).toEqual({
        requests: {
          limit: 5,
          remaining: 4,
          reset_at: new Date(clock.now().getTime() + 500).toISOString(),
          refill_per_second: 2,
        },
      });
      expect(limits.headers['x-ratelimit-remaining']).toBe('4');
    }
    expect((await get('/v1/instances', auth)).headers['x-ratelimit-remaining']).toBe('3');
  });

  it('answers GET /v1/limits even when the bucket is empty', async () => {
    await setUp(1, 1);
    const { auth } = await subject.newCustomer();
    await get('/v1/instances', auth);
    const limits = await get('/v1/limits', auth);
    expect(limits.statusCode).toBe(200);
    expect(limits.json().requests.remaining).toBe(0);
  });

  it("keeps each customer's bucket apart, whichever of its keys is used", async () => {
    await setUp(2, 1);
    const greedy = await subject.newCustomer('Greedy');
    const second = await subject.newKey(greedy.customerId);
    const polite = await subject.newCustomer('Polite');
    await get('/v1/instances', greedy.auth);
    await get('/v1/instances', second.auth);
    expect((await get('/v1/instances', greedy.auth)).statusCode).toBe(429);
    expect((await get('/v1/instances', second.auth)).statusCode).toBe(429);
    const other = await get('/v1/instances', polite.auth);
    expect(other.statusCode).toBe(200);
    expect(other.headers['x-ratelimit-remaining']).toBe('1');
  });

  it('keeps the headers on /v1 errors other than 429', async () => {
    await setUp(3, 1);
    const { auth } = await subject.newCustomer();
    const missing = await get('/v1/instances/inst_nope', auth);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-ratelimit-remaining']).toBe('2');
  });

  it('limits neither health, docs, OpenAPI nor unauthenticated requests', async () => {
    await setUp(1, 0.001);
    const { auth } = await subject.newCustomer();
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/docs', '/healthz']) {
      const response = await get(url, auth);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['x-ratelimit-limit'], url).toBeUndefined();
    }
    const anonymous = await get('/v1/instances', { authorization: 'Bearer wiu_bogus' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['x-ratelimit-limit']).toBeUndefined();
    expect((await get('/v1/instances', auth)).statusCode).toBe(200);
  });

  it('documents GET /v1/limits in the OpenAPI document', async () => {
    await setUp();
    const document = (await get('/openapi.json')).json();
    expect(document.paths['/v1/limits'].get.responses['200'].content['application/json'].schema.required).toEqual(['requests']);
  });
});

describe('rate limiting when the limiter is unreachable', () => {
  let subject: TestApp;
  afterEach(async () => subject.app.close());

  const unreachable: RateLimiter = {
    policy: { capacity: 10, refillPerSecond: 1 },
    take: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    },
    peek: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    },
  };

  it('fails open: lets the request through without headers and logs a warning', async () => {
    subject = await buildTestApp({ rateLimiter: unreachable });
    const { auth } = await subject.newCustomer();
    const response = await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    const warning = subject.logs().find((line) => line['msg'] === 'rate limiter unavailable; letting the request through');
    expect(warning?.['level']).toBe(40);
  });

  it('answers GET /v1/limits with 503 unavailable, naming no internals', async () => {
    subject = await buildTestApp({ rateLimiter: unreachable });
    const { auth } = await subject.newCustomer();
    const response = await subject.app.inject({ method: 'GET', url: '/v1/limits', headers: auth });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('unavailable');
    expect(response.body).not.toContain('ECONNREFUSED');
  });
});
