import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { defineRoute } from '../src/lib/route-spec.js';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

let subject: TestApp;
afterEach(async () => subject.close());

describe('request logging', () => {
  it('logs one line per request, at the response, with method, redacted url, status, duration and request id', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const before = subject.logs().length;
    const response = await subject.app.inject({ method: 'GET', url: '/v1/instances?limit=5', headers: auth });
    expect(response.statusCode).toBe(200);

    const lines = subject.logs().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      method: 'GET',
      url: '/v1/instances?limit=5',
      status: 200,
      duration_ms: expect.any(Number),
      request_id: response.headers['x-request-id'],
      msg: expect.stringMatching(/^GET \/v1\/instances\?limit=5 200 [\d.]+ms$/),
    });
  });

  it('logs a 5xx answer as an error', async () => {
    const route = defineRoute({
      method: 'GET',
      url: '/v1/explode',
      operationId: 'explode',
      summary: 'Fails',
      tags: ['Test'],
      response: { status: 200, description: 'Never.', schema: v.object({}) },
      handler: async () => {
        throw new Error('boom');
      },
    });
    subject = await buildTestApp({ routes: [route] });
    const { auth } = await subject.newCustomer();
    const response = await subject.app.inject({ method: 'GET', url: '/v1/explode', headers: auth });
    expect(response.statusCode).toBe(500);
    const line = subject.logs().find((entry) => entry['msg'] === `GET /v1/explode 500 ${entry['duration_ms']}ms`);
    expect(line).toMatchObject({ level: 50, status: 500, request_id: response.headers['x-request-id'] });
  });
});

describe('request context in logs', () => {
  it("says a failed request once, on its line, with its error code and the customer and instance it concerned", async () => {
    subject = await buildTestApp();
    const { auth, customerId } = await subject.newCustomer();
    const before = subject.logs().length;
    const response = await subject.app.inject({ method: 'GET', url: '/v1/instances/inst_01J0000000000000000000000X', headers: auth });
    expect(response.statusCode).toBe(404);
    const lines = subject.logs().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      status: 404,
      error_code: 'not_found',
      request_id: response.headers['x-request-id'],
      customer_id: customerId,
      instance_id: 'inst_01J0000000000000000000000X',
    });
  });
});
