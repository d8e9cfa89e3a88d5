import { createVerifyEventToken, signEventToken } from '@whatisup/core';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';
import { openSse, type SseConnection } from './support/sse-client.js';

let subject: TestApp<{ sessions: true }>;
const open: SseConnection[] = [];
afterEach(async () => {
  open.splice(0).forEach((connection) => connection.close());
  await subject.close();
});

const get = (url: string, headers: Record<string, string> = {}) => subject.app.inject({ method: 'GET', url, headers });

describe('POST /v1/event-tokens', () => {
  it('mints a wiuevt_ token for 300 s by default, unbound for an unbound key', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth, customerId } = await subject.newCustomer();
    const before = Date.now();
    const response = await subject.post('/v1/event-tokens', auth, {});
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.token).toMatch(/^wiuevt_[\w-]+\.[\w-]+$/);
    expect(body.instance_id).toBeNull();
    const ttl = (new Date(body.expires_at).getTime() - before) / 1000;
    expect(ttl).toBeGreaterThan(298);
    expect(ttl).toBeLessThanOrEqual(300);
    const principal = createVerifyEventToken({ clock: { now: () => new Date() }, key: subject.tokenKey })(body.token);
    expect(principal).toMatchObject({ customerId, instanceId: null });
  });

  it('takes ttl_seconds up to 3600 and refuses more, less than 1, or a fraction', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    expect((await subject.post('/v1/event-tokens', auth, { ttl_seconds: 3600 })).statusCode).toBe(201);
    for (const ttl_seconds of [3601, 0, 1.5]) {
      const response = await subject.post('/v1/event-tokens', auth, { ttl_seconds });
      expect(response.statusCode, String(ttl_seconds)).toBe(400);
    }
  });

  it('binds a token from an instance-bound key to that instance and refuses another (403) or a foreign one (404)', async () => {
    subject = await buildTestApp({ sessions: true });
    const alice = await subject.newCustomer('Alice');
    const bob = await subject.newCustomer('Bob');
    const mine = await subject.newInstance(alice.auth, { kind: 'sandbox' });
    const sibling = await subject.newInstance(alice.auth, { kind: 'sandbox' });
    const theirs = await subject.newInstance(bob.auth, { kind: 'sandbox' });
    const bound = await subject.newKey(alice.customerId, mine);
    expect((await subject.mintToken(bound.auth)).instance_id).toBe(mine);
    expect((await subject.post('/v1/event-tokens', bound.auth, { instance_id: sibling })).statusCode).toBe(403);
    expect((await subject.post('/v1/event-tokens', alice.auth, { instance_id: theirs })).statusCode).toBe(404);
    expect((await subject.mintToken(alice.auth, { instance_id: sibling })).instance_id).toBe(sibling);
  });

  it('needs an API key: a token cannot mint tokens', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const { token } = await subject.mintToken(auth);
    const response = await subject.post('/v1/event-tokens', { authorization: `Bearer ${token}` }, {});
    expect(response.statusCode).toBe(401);
  });
});

describe('GET /v1/events with ?token=', () => {
  it("streams with a token, limited to the token's instance", async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const one = await subject.newInstance(auth, { kind: 'sandbox' });
    const two = await subject.newInstance(auth, { kind: 'sandbox' });
    const { token } = await subject.mintToken(auth, { instance_id: one });
    const base = await subject.app.listen({ port: 0, host: '127.0.0.1' });
    const sse = await openSse(base, `/v1/events?token=${token}`);
    open.push(sse);
    expect(sse.status).toBe(200);
    await subject.post(`/v1/instances/${two}/connect`, auth);
    await subject.post(`/v1/instances/${one}/connect`, auth);
    await sse.waitFor((c) => c.events().length === 1);
    expect(JSON.parse(sse.events()[0]!.data!)).toMatchObject({ event: 'qr.updated', instance_id: one });
    expect(subject.logText()).toContain('/v1/events?token=[redacted]');
    expect(subject.logText()).not.toContain(token.slice(10, 40));
  });

  it('refuses an expired, forged or malformed token with 401 saying which', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth, customerId } = await subject.newCustomer();
    const claims = { customerId, instanceId: null, keyId: 'key_x' };
    const expired = signEventToken(subject.tokenKey, { ...claims, expiresAt: new Date(Date.now() - 1000) });
    const forged = signEventToken(Buffer.alloc(32, 7), { ...claims, expiresAt: new Date(Date.now() + 60_000) });
    const { token } = await subject.mintToken(auth);
    const tampered = token.replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    const expiredResponse = await get(`/v1/events?token=${expired}`);
    expect(expiredResponse.statusCode).toBe(401);
    expect(expiredResponse.json().error.message).toContain('expired');
    for (const bad of [forged, tampered, 'not-a-token', 'wiuevt_abc']) {
      const response = await get(`/v1/events?token=${encodeURIComponent(bad)}`);
      expect(response.statusCode, bad).toBe(401);
      expect(response.json().error.message).toContain('invalid');
    }
  });

  it('refuses an API key in ?token= or any other query parameter, even with a valid header', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth, key } = await subject.newCustomer();
    for (const url of [`/v1/events?token=${key}`, `/v1/events?api_key=${key}`, `/v1/events?events=message.sent&x=${key}`]) {
      for (const headers of [{}, auth]) {
        const response = await get(url, headers);
        expect(response.statusCode, url).toBe(401);
        expect(response.json().error).toMatchObject({ code: 'unauthenticated', details: { reason: 'api_key_in_url' } });
        expect(response.json().error.message).toMatch(/Never put an API key in a URL/);
        expect(response.body).not.toContain(key);
      }
    }
    expect(subject.logText()).not.toContain(key.slice(21));
  });

  it('answers 401 without any credential, and with a bad bearer header', async () => {
    subject = await buildTestApp({ sessions: true });
    expect((await get('/v1/events')).statusCode).toBe(401);
    expect((await get('/v1/events', { authorization: 'Bearer wiu_nope' })).statusCode).toBe(401);
    expect((await get('/v1/events', { authorization: 'Basic abc' })).statusCode).toBe(401);
  });
});
