import { generateApiKey } from '@whatisup/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthFailureThrottle, type Authenticator } from '../src/index.js';
import { buildTestApp, type TestApp, type TestAppOptions } from './support/build-test-app.js';

describe('failed-authentication throttle', () => {
  let subject: TestApp;
  afterEach(async () => subject.close());

  async function setUp(options: Partial<TestAppOptions> = {}) {
    subject = await buildTestApp({ sessions: true, authFailureLimit: { capacity: 3, refillPerSecond: 0.01 }, ...options });
  }
  const get = (url: string, headers: Record<string, string>) => subject.app.inject({ method: 'GET', url, headers });
  const randomKey = () => ({ authorization: `Bearer ${generateApiKey().key}` });

  it('answers 429 in the envelope once an address has failed too often, without checking the key', async () => {
    await setUp();
    for (let i = 0; i < 3; i += 1) expect((await get('/v1/instances', randomKey())).statusCode).toBe(401);
    const refused = await get('/v1/instances', randomKey());
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({
      error: { code: 'rate_limited', details: { reason: 'too_many_failed_authentications' } },
      request_id: expect.stringMatching(/^req_/),
    });
  });

  it('costs no key check once the address is throttled (a flood of random keys)', async () => {
    let checks = 0;
    const wrapAuthenticator = (real: Authenticator): Authenticator => ({
      authenticate: (rawKey) => ((checks += 1), real.authenticate(rawKey)),
    });
    await setUp({ wrapAuthenticator });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i += 1) statuses.push((await get('/v1/instances', randomKey())).statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(47);
    expect(checks).toBe(3);
  });

  it('throttles the event stream\'s own authentication too', async () => {
    await setUp();
    for (let i = 0; i < 3; i += 1) expect((await get('/v1/events', randomKey())).statusCode).toBe(401);
    expect((await get('/v1/events', randomKey())).statusCode).toBe(429);
    expect((await get('/v1/instances', randomKey())).statusCode).toBe(429);
  });

  it('keeps serving valid keys from other addresses, and ignores X-Forwarded-For unless the proxy is trusted', async () => {
    await setUp();
    const { auth } = await subject.newCustomer();
    for (let i = 0; i < 3; i += 1) await get('/v1/instances', { ...randomKey(), 'x-forwarded-for': `203.0.113.${i}` });
    // Untrusted: every request came from 127.0.0.1, whatever the header said.
    expect((await get('/v1/instances', { ...randomKey(), 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(429);
    const other = await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: auth, remoteAddress: '192.0.2.10' });
    expect(other.statusCode).toBe(200);
  });

  it('tells clients apart by X-Forwarded-For behind a trusted proxy', async () => {
    await setUp({ trustProxy: true });
    for (let i = 0; i < 3; i += 1) await get('/v1/instances', { ...randomKey(), 'x-forwarded-for': '203.0.113.1' });
    expect((await get('/v1/instances', { ...randomKey(), 'x-forwarded-for': '203.0.113.1' })).statusCode).toBe(429);
    expect((await get('/v1/instances', { ...randomKey(), 'x-forwarded-for': '203.0.113.2' })).statusCode).toBe(401);
  });
});

describe('createAuthFailureThrottle', () => {
  it('forgives failures over time and keeps its table bounded', () => {
    let now = 0;
    const throttle = createAuthFailureThrottle({ capacity: 2, refillPerSecond: 1, maxAddresses: 2 }, () => now);
    throttle.recordFailure('a');
    throttle.recordFailure('a');
    expect(throttle.retryAfterSeconds('a')).toBe(1);
    now = 1_000;
    expect(throttle.retryAfterSeconds('a')).toBe(0);
    throttle.recordFailure('a');
    throttle.recordFailure('a');
    throttle.recordFailure('b');
    throttle.recordFailure('c'); // evicts 'a', the least recently failing
    expect(throttle.retryAfterSeconds('a')).toBe(0);
  });
});
