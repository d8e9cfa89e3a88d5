import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('request validation', () => {
  let subject: TestApp;
  afterEach(async () => subject.app.close());

  async function post(payload: unknown) {
    const { auth } = await subject.newCustomer();
    return subject.app.inject({ method: 'POST', url: '/v1/instances', headers: auth, payload: payload as object });
  }

  it('answers a wrong type with 400 invalid_input naming the field', async () => {
    subject = await buildTestApp();
    const response = await post({ name: 42 });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.details.issues).toEqual([{ in: 'body', path: 'name', message: expect.stringContaining('string') }]);
  });

  it('answers a missing field with 400 invalid_input saying it is required', async () => {
    subject = await buildTestApp();
    const response = await post({ kind: 'sandbox' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues).toEqual([{ in: 'body', path: 'name', message: 'Required.' }]);
  });

  it('answers an unknown enum value with 400 invalid_input', async () => {
    subject = await buildTestApp();
    const response = await post({ name: 'a', kind: 'telegram' });
    expect(response.statusCode).toBe(400);
    const [issue] = response.json().error.details.issues;
    expect(issue).toMatchObject({ in: 'body', path: 'kind' });
    expect(issue.message).toContain('"telegram"');
  });

  it('answers an unknown body field with 400 invalid_input (typos are not silently dropped)', async () => {
    subject = await buildTestApp();
    const response = await post({ name: 'a', nmae: 'b' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0]).toMatchObject({ in: 'body', path: 'nmae' });
  });

  it('reports every issue at once', async () => {
    subject = await buildTestApp();
    const response = await post({ name: '', kind: 1, metadata: [] });
    expect(response.json().error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'kind',
      'metadata',
      'name',
    ]);
  });

  it('answers a missing body with 400 invalid_input', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const response = await subject.app.inject({ method: 'POST', url: '/v1/instances', headers: auth });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues).toEqual([{ in: 'body', path: '', message: expect.any(String) }]);
  });

  it.each(['0', '101', 'ten', '-1', '1.5'])('answers limit=%s with 400 invalid_input on the query', async (limit) => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const response = await subject.app.inject({ method: 'GET', url: `/v1/instances?limit=${limit}`, headers: auth });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0]).toMatchObject({ in: 'query', path: 'limit' });
  });
});
