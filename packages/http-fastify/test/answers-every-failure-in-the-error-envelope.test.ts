import { DomainError } from '@whatisup/core';
import { afterEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { defineRoute } from '../src/index.js';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

function expectEnvelope(response: { statusCode: number; headers: Record<string, unknown>; json(): any }, code: string) {
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json();
  expect(Object.keys(body).sort()).toEqual(['error', 'request_id']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'details', 'message']);
  expect(body.error.code).toBe(code);
  expect(body.request_id).toMatch(/^req_[0-9A-Z]{26}$/);
  expect(response.headers['x-request-id']).toBe(body.request_id);
  return body;
}

describe('error envelope', () => {
  let subject: TestApp;
  afterEach(async () => subject.app.close());

  /** A fresh app and customer, then one POST /v1/instances with `payload` sent as-is under `contentType`. */
  async function postRaw(payload: string, contentType = 'application/json') {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    return subject.app.inject({ method: 'POST', url: '/v1/instances', headers: { ...auth, 'content-type': contentType }, payload });
  }

  /** A fresh app with one extra route at GET /v1/<name> whose handler throws `error`, called by a customer. */
  async function callFailingRoute(name: string, error: Error) {
    const route = defineRoute({
      method: 'GET',
      url: `/v1/${name}`,
      operationId: name,
      summary: 'Fails',
      tags: ['Test'],
      response: { status: 200, description: 'Never.', schema: v.object({}) },
      handler: async () => {
        throw error;
      },
    });
    subject = await buildTestApp({ routes: [route] });
    const { auth } = await subject.newCustomer();
    return subject.app.inject({ method: 'GET', url: `/v1/${name}`, headers: auth });
  }

  it('answers an unknown route with 404 not_found', async () => {
    subject = await buildTestApp();
    const response = await subject.app.inject({ method: 'GET', url: '/nope?token=abc' });
    expect(response.statusCode).toBe(404);
    const body = expectEnvelope(response, 'not_found');
    expect(body.error.message).not.toContain('abc');
  });

  it('answers an unknown /v1 route with 404 for an authenticated caller', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const response = await subject.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth });
    expect(response.statusCode).toBe(404);
    expectEnvelope(response, 'not_found');
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await postRaw('{"name": "x",');
    expect(response.statusCode).toBe(400);
    expectEnvelope(response, 'invalid_json');
  });

  it('answers a JSON body with a __proto__ key with 400 invalid_json', async () => {
    const response = await postRaw('{"name": "x", "__proto__": {"admin": true}}');
    expect(response.statusCode).toBe(400);
    expectEnvelope(response, 'invalid_json');
  });

  it('treats an empty JSON body as no body: fine on DELETE, 400 invalid_input where a body is required', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const json = { ...auth, 'content-type': 'application/json' };
    const created = (await subject.app.inject({ method: 'POST', url: '/v1/instances', headers: auth, payload: { name: 'a' } })).json();
    const deleted = await subject.app.inject({ method: 'DELETE', url: `/v1/instances/${created.id}`, headers: json, payload: '' });
    expect(deleted.statusCode).toBe(200);
    const empty = await subject.app.inject({ method: 'POST', url: '/v1/instances', headers: json, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(expectEnvelope(empty, 'invalid_input').error.details.issues[0]).toMatchObject({ in: 'body', path: '' });
  });

  it('answers a 2 MB body with 413 payload_too_large under the default 1 MiB limit', async () => {
    const response = await postRaw(JSON.stringify({ name: 'big', metadata: { blob: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(response.statusCode).toBe(413);
    expectEnvelope(response, 'payload_too_large');
  });

  it('honours a configured body limit', async () => {
    subject = await buildTestApp({ bodyLimitBytes: 100 });
    const { auth } = await subject.newCustomer();
    const response = await subject.app.inject({
      method: 'POST',
      url: '/v1/instances',
      headers: auth,
      payload: { name: 'n'.repeat(90), metadata: { a: 'b' } },
    });
    expect(response.statusCode).toBe(413);
  });

  it('answers a non-JSON body with 415 unsupported_media_type', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const response = await postRaw('name=x', contentType);
      expect(response.statusCode, contentType).toBe(415);
      expectEnvelope(response, 'unsupported_media_type');
      await subject.app.close();
    }
  });

  it('answers a client-supplied X-Request-Id with a fresh id of its own', async () => {
    subject = await buildTestApp();
    const response = await subject.app.inject({
      method: 'GET',
      url: '/nope',
      headers: { 'x-request-id': 'req_01J0000000000000000000000X' },
    });
    expect(response.headers['x-request-id']).not.toBe('req_01J0000000000000000000000X');
    expect(response.headers['x-request-id']).toMatch(/^req_/);
  });

  it('answers a malformed URL with 400 in the envelope', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const response = await subject.app.inject({ method: 'GET', url: '/v1/instances/%E0%A4%A', headers: auth });
    expect(response.statusCode).toBe(400);
    expectEnvelope(response, 'invalid_request');
  });

  it('answers an unexpected error with a bare 500 that leaks nothing, and logs it in full', async () => {
    const response = await callFailingRoute(
      'explode',
      new Error('duplicate key value violates unique constraint "secret_table_pkey" SELECT * FROM keys'),
    );
    expect(response.statusCode).toBe(500);
    const body = expectEnvelope(response, 'internal_error');
    expect(body.error.details).toEqual({});
    expect(response.body).not.toMatch(/SELECT|secret_table|stack|at /);
    const logged = subject.logs().filter((line) => line['request_id'] === body.request_id);
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged[0])).toContain('secret_table_pkey');
    expect(logged[0]).toMatchObject({ level: 50, status: 500, error_code: 'internal_error' });
  });

  it.each([
    ['forbidden', 403],
    ['conflict', 409],
    ['not_connected', 409],
    ['unsafe_url', 422],
    ['gone', 410],
    ['unavailable', 503],
  ] as const)('maps DomainError %s to %i with its code, message and details', async (code, status) => {
    const response = await callFailingRoute('domainError', new DomainError(code, `It failed with ${code}.`, { field: 'x' }));
    expect(response.statusCode).toBe(status);
    const body = expectEnvelope(response, code);
    expect(body.error).toEqual({ code, message: `It failed with ${code}.`, details: { field: 'x' } });
  });

  it('sends Retry-After with a rate_limited error that says when to retry', async () => {
    const response = await callFailingRoute('limited', new DomainError('rate_limited', 'Slow down.', { retry_after_seconds: 2.2 }));
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('3');
  });
});
