import { signEventToken } from '@whatisup/core';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

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
