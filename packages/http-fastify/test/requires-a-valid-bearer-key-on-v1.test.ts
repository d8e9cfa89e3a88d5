import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('bearer authentication', () => {
  let subject: TestApp;
  afterEach(async () => subject.app.close());

  async function expect401(headers: Record<string, string>) {
    const response = await subject.app.inject({ method: 'GET', url: '/v1/instances', headers });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.json().error.code).toBe('unauthenticated');
    expect(response.json().request_id).toBe(response.headers['x-request-id']);
    return response;
  }

  it('refuses a request without an Authorization header', async () => {
    subject = await buildTestApp();
    await expect401({});
  });

  it('refuses a malformed Authorization header', async () => {
    subject = await buildTestApp();
    const { key } = await subject.newCustomer();
    await expect401({ authorization: key });
    await expect401({ authorization: `Basic ${key}` });
    await expect401({ authorization: 'Bearer' });
    await expect401({ authorization: `Bearer ${key} extra` });
  });

  it('refuses an unknown key without echoing it', async () => {
    subject = await buildTestApp();
    const { key } = await subject.newCustomer();
    const forged = `${key.slice(0, -4)}AAAA`;
    const response = await expect401({ authorization: `Bearer ${forged}` });
    expect(response.body).not.toContain(forged);
  });

  it('refuses a key at once after it was revoked over the API', async () => {
    subject = await buildTestApp();
    const { auth, customerId } = await subject.newCustomer();
    const other = await subject.newKey(customerId);
    const list = await subject.app.inject({ method: 'GET', url: '/v1/api-keys', headers: auth });
    const otherId = list.json().data.find((k: { prefix: string }) => other.key.startsWith(`${k.prefix}_`)).id;
    expect((await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: other.auth })).statusCode).toBe(200);
    const revoked = await subject.app.inject({ method: 'DELETE', url: `/v1/api-keys/${otherId}`, headers: auth });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revoked_at).not.toBeNull();
    await expect401(other.auth);
  });

  it('checks the key before reading the body', async () => {
    subject = await buildTestApp();
    const response = await subject.app.inject({
      method: 'POST',
      url: '/v1/instances',
      headers: { 'content-type': 'text/plain' },
      payload: 'not json',
    });
    expect(response.statusCode).toBe(401);
  });

  it('serves /healthz, /readyz, /openapi.json and /docs without a key', async () => {
    subject = await buildTestApp();
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
      const response = await subject.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
    }
  });
});
