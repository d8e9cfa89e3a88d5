import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('health and readiness', () => {
  let subject: TestApp | undefined;
  afterEach(async () => subject?.app.close());

  it('answers /healthz without a key', async () => {
    subject = await buildTestApp();
    const response = await subject.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
  });

  it('answers /readyz 200 with each check when every check passes', async () => {
    subject = await buildTestApp({ readiness: async () => ({ postgres: true, redis: true }) });
    const response = await subject.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: { postgres: true, redis: true } });
  });

  it('counts a check that names how it is provided (in-process) as ready', async () => {
    subject = await buildTestApp({ readiness: async () => ({ postgres: true, redis: 'in-process' }) });
    const response = await subject.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: { postgres: true, redis: 'in-process' } });
  });

  it('answers /readyz 503 in the envelope naming the failing check', async () => {
    subject = await buildTestApp({ readiness: async () => ({ postgres: true, redis: false }) });
    const response = await subject.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    const body = response.json();
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toContain('redis');
    expect(body.error.details.checks).toEqual({ postgres: true, redis: false });
    expect(body.request_id).toBe(response.headers['x-request-id']);
  });

  it('answers /readyz 503 when the readiness check itself throws', async () => {
    subject = await buildTestApp({
      readiness: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
      },
    });
    const response = await subject.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.body).not.toContain('ECONNREFUSED');
  });
});
