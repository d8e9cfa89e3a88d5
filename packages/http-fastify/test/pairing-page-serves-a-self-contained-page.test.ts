import { signEventToken } from '@whatisup/core';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';
import { until } from '@whatisup/test-infra';

let subject: TestApp<{ sessions: true }>;
afterEach(async () => subject.close());

const page = (query: string) => subject.app.inject({ method: 'GET', url: `/pair${query}` });

describe('GET /pair', () => {
  it('serves a self-contained page for an instance-bound token: inline script allowed by hash, no external resource', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, { kind: 'sandbox' });
    const { token } = await subject.mintToken(auth, { instance_id: instance });
    const response = await page(`?token=${token}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(response.body).not.toContain(token);
    expect(response.body).toContain("new EventSource('/v1/events?");
    const script = /<script>([\s\S]*?)<\/script>/.exec(response.body)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(response.headers['content-security-policy']).toContain(`script-src 'sha256-${hash}'`);
    expect(response.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(subject.logText()).toContain('/pair?token=[redacted]');
  });

  it('opens on the QR the session shows now, issued before the page was opened', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, { kind: 'sandbox' });
    const { token } = await subject.mintToken(auth, { instance_id: instance });
    expect((await page(`?token=${token}`)).body).toContain('data-state="waiting"');

    const qr = await subject.app.inject({ method: 'GET', url: `/v1/instances/${instance}/qr`, headers: auth });
    expect(qr.statusCode).toBe(200);
    const body = (await page(`?token=${token}`)).body;
    expect(body).toContain('data-state="qr"');
    expect(body).toContain(`src="${qr.json().png_data_url}"`);
  });

  it('opens on "Connected" with the number when the instance is paired already, and opens no stream', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, { kind: 'sandbox' });
    const { token } = await subject.mintToken(auth, { instance_id: instance });
    await subject.post(`/v1/instances/${instance}/connect`, auth);
    await until(async () => (await subject.post(`/v1/instances/${instance}/sandbox/scan`, auth)).statusCode === 204);
    let phone = '';
    await until(async () => {
      const read = (await subject.app.inject({ method: 'GET', url: `/v1/instances/${instance}`, headers: auth })).json();
      phone = read.phone_number;
      return read.status === 'connected';
    });
    const body = (await page(`?token=${token}`)).body;
    expect(body).toMatch(new RegExp(`data-state="connected"[^>]*>Connected as \\+${phone}\\.`));
    expect(body).not.toContain('<img id="qr" alt="WhatsApp pairing QR code" src=');
    // The script returns before opening the stream when the page starts connected.
    const script = /<script>([\s\S]*?)<\/script>/.exec(body)![1]!;
    expect(script.indexOf("getAttribute('data-state') === 'connected') return")).toBeLessThan(script.indexOf('new EventSource'));
  });

  it('shows an error page (404) when the instance was deleted after the link was made', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, { kind: 'sandbox' });
    const { token } = await subject.mintToken(auth, { instance_id: instance });
    await subject.app.inject({ method: 'DELETE', url: `/v1/instances/${instance}`, headers: auth });
    const response = await page(`?token=${token}`);
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('no longer exists');
  });

  it('shows a clear error page (401) for a missing, invalid, expired or unbound token', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth, customerId } = await subject.newCustomer();
    const expired = signEventToken(subject.tokenKey, { customerId, instanceId: 'inst_x', keyId: 'key_x', expiresAt: new Date(Date.now() - 1000) });
    const unbound = (await subject.mintToken(auth)).token;
    const cases: Array<[string, RegExp]> = [
      ['', /no token/],
      ['?token=wiuevt_garbage.sig', /invalid/],
      [`?token=wiu_abcdefghijklmnop_${'a'.repeat(43)}`, /invalid/],
      [`?token=${expired}`, /expired/],
      [`?token=${unbound}`, /not for one instance/],
    ];
    for (const [query, message] of cases) {
      const response = await page(query);
      expect(response.statusCode, query).toBe(401);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toMatch(message);
      expect(response.body).not.toContain('<script>');
    }
  });

  it('is documented in OpenAPI with how to build the link', async () => {
    subject = await buildTestApp({ sessions: true });
    const document = (await subject.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.paths['/pair'].get.description).toContain('/pair?token=');
    expect(document.paths['/v1/event-tokens'].post.description).toContain('Pairing link');
    expect(document.paths['/v1/events'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['instance_id', 'events', 'token', 'last_event_id']);
  });
});
