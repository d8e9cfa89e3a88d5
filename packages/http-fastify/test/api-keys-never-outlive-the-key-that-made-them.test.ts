import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('a key made over HTTP', () => {
  let subject: TestApp;
  afterEach(async () => subject.app.close());

  const createKey = (auth: Record<string, string>, payload: object) =>
    subject.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth, payload });
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  it('inherits the expiry of a short-lived creating key, may not outlive it, and goes with it when revoked', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const expiresAt = new Date(Date.now() + 40_000).toISOString();
    const parent = (await createKey(auth, { name: 'short', expires_at: expiresAt })).json();

    const forever = await createKey(bearer(parent.key), { expires_at: '2999-01-01T00:00:00.000Z' });
    expect(forever.statusCode).toBe(400);
    expect(forever.json().error).toMatchObject({ code: 'invalid_input', details: { field: 'expires_at', max: expiresAt } });

    const child = await createKey(bearer(parent.key), {});
    expect(child.statusCode).toBe(201);
    expect(child.json()).toMatchObject({ expires_at: expiresAt, parent_key_id: parent.id });

    expect((await subject.app.inject({ method: 'DELETE', url: `/v1/api-keys/${parent.id}`, headers: auth })).statusCode).toBe(200);
    const afterwards = await subject.app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(child.json().key) });
    expect(afterwards.statusCode).toBe(401);
  });
});
