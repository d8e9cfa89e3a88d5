import { createInMemoryRateLimiter } from '@whatisup/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('webhook endpoint fan-out limits over HTTP', () => {
  let subject: TestApp<{ webhooks: true }>;
  afterEach(async () => subject.close());

  it('refuses an endpoint past the per-instance limit with 422 limit_exceeded, and shows the use at GET /v1/limits', async () => {
    subject = await buildTestApp({ webhooks: true, rateLimiter: createInMemoryRateLimiter({ capacity: 1000, refillPerSecond: 100 }) });
    const { auth } = await subject.newCustomer();
    const instanceId = await subject.newInstance(auth);
    const endpoint = { url: 'https://hooks.example.com/in', events: ['*'], instance_id: instanceId };
    for (let i = 0; i < 10; i += 1) expect((await subject.post('/v1/webhook-endpoints', auth, endpoint)).statusCode).toBe(201);

    const refused = await subject.post('/v1/webhook-endpoints', auth, endpoint);

    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'limit_exceeded',
      details: { limit: 'webhook_endpoints_per_instance', max: 10, current: 10 },
    });
    const limits = await subject.app.inject({ method: 'GET', url: '/v1/limits', headers: auth });
    expect(limits.statusCode).toBe(200);
    expect(limits.json().webhook_endpoints).toEqual({ per_customer: { limit: 20, used: 10 }, per_instance: { limit: 10, used: 10 } });
  });
});
