import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('API keys over HTTP', () => {
  let subject: TestApp;
  afterEach(async () => subject.app.close());

  const createKey = (auth: Record<string, string>, payload: object) =>
    subject.app.inject({ method: 'POST', url: '/v1/api-keys', headers: auth, payload });

  it('creates a key (201) whose full secret is shown once and works at once', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const response = await createKey(auth, { name: 'deploy', expires_at: '2999-01-01T00:00:00.000Z' });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ name: 'deploy', instance_id: null, revoked_at: null, expires_at: '2999-01-01T00:00:00.000Z' });
    expect(created.id).toMatch(/^key_/);
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
    const useIt = await subject.app.inject({
      method: 'GET',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${created.key}` },
    });
    expect(useIt.statusCode).toBe(200);
    const listed = useIt.json().data.find((k: { id: string }) => k.id === created.id);
    expect(listed).toBeDefined();
    expect(useIt.body).not.toContain(created.key);
    expect(listed).not.toHaveProperty('key');
  });

  it.each([
    ['in the past', '2001-01-01T00:00:00.000Z'],
    ['that names no real day (instead of rolling it over)', '2999-02-30T00:00:00Z'],
  ])('answers an expiry %s with 400 invalid_input', async (_, expiresAt) => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const response = await createKey(auth, { expires_at: expiresAt });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_input');
  });

  it("answers a key bound to another customer's instance with 404", async () => {
    subject = await buildTestApp();
    const alice = await subject.newCustomer('Alice');
    const bob = await subject.newCustomer('Bob');
    const instance = (
      await subject.app.inject({ method: 'POST', url: '/v1/instances', headers: alice.auth, payload: { name: 'a' } })
    ).json();
    const response = await createKey(bob.auth, { instance_id: instance.id });
    expect(response.statusCode).toBe(404);
  });

  it("answers revoking another customer's key with 404 and leaves it working", async () => {
    subject = await buildTestApp();
    const alice = await subject.newCustomer('Alice');
    const bob = await subject.newCustomer('Bob');
    const aliceKeyId = (await subject.app.inject({ method: 'GET', url: '/v1/api-keys', headers: alice.auth })).json()
      .data[0].id;
    const response = await subject.app.inject({ method: 'DELETE', url: `/v1/api-keys/${aliceKeyId}`, headers: bob.auth });
    expect(response.statusCode).toBe(404);
    expect((await subject.app.inject({ method: 'GET', url: '/v1/api-keys', headers: alice.auth })).statusCode).toBe(200);
  });
});
