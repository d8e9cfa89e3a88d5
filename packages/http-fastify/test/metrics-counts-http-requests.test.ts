import type { RateLimiter } from '@whatisup/core';
import { createInMemoryRateLimiter } from '@whatisup/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, type MetricsRegistry } from '../src/index.js';
import { buildTestApp, type TestApp } from './support/build-test-app.js';
import { parsePrometheusText, valueOf } from '@whatisup/test-infra';

describe('GET /metrics', () => {
  let subject: TestApp;
  afterEach(async () => subject.app.close());

  async function setUp(options: { bearerToken?: string; registry?: MetricsRegistry; rateLimiter?: RateLimiter } = {}) {
    const registry = options.registry ?? createMetricsRegistry();
    subject = await buildTestApp({
      metrics: { registry, bearerToken: options.bearerToken },
      ...(options.rateLimiter === undefined ? {} : { rateLimiter: options.rateLimiter }),
    });
    return registry;
  }
  const scrape = async (headers: Record<string, string> = {}) => {
    const response = await subject.app.inject({ method: 'GET', url: '/metrics', headers });
    expect(response.statusCode).toBe(200);
    return parsePrometheusText(response.body).samples;
  };

  it('serves the Prometheus text format without an API key', async () => {
    await setUp();
    const response = await subject.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const { types } = parsePrometheusText(response.body);
    expect(types['whatisup_http_requests_total']).toBe('counter');
    expect(types['whatisup_http_request_duration_seconds']).toBe('histogram');
    // The text goes out once: the router must not try to send a second (JSON) body after it.
    expect(subject.logs().filter((line) => (line['level'] as number) >= 40)).toEqual([]);
  });

  it('counts requests by method, route pattern and status class, and times them', async () => {
    await setUp();
    const { auth } = await subject.newCustomer();
    await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: auth });
    await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: auth });
    await subject.app.inject({ method: 'GET', url: '/v1/instances/inst_one', headers: auth });
    await subject.app.inject({ method: 'GET', url: '/v1/instances/inst_two', headers: auth });
    await subject.app.inject({ method: 'GET', url: '/v1/instances' });
    const samples = await scrape();
    const count = (route: string, status_class: string) =>
      valueOf(samples, 'whatisup_http_requests_total', { method: 'GET', route, status_class });
    expect(count('/v1/instances', '2xx')).toBe(2);
    expect(count('/v1/instances', '4xx')).toBe(1);
    expect(count('/v1/instances/:id', '4xx')).toBe(2);
    const timed = { method: 'GET', route: '/v1/instances', status_class: '2xx' };
    expect(valueOf(samples, 'whatisup_http_request_duration_seconds_count', timed)).toBe(2);
    expect(valueOf(samples, 'whatisup_http_request_duration_seconds_bucket', { ...timed, le: '+Inf' })).toBe(2);
    expect(valueOf(samples, 'whatisup_http_request_duration_seconds_sum', timed)).toBeGreaterThan(0);
  });

  it('labels unknown paths as unmatched instead of echoing them', async () => {
    await setUp();
    await subject.app.inject({ method: 'GET', url: '/wp-admin/secret-probe-123' });
    const response = await subject.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.body).not.toContain('secret-probe');
    const samples = parsePrometheusText(response.body).samples;
    expect(valueOf(samples, 'whatisup_http_requests_total', { route: 'unmatched', status_class: '4xx' })).toBe(1);
  });

  it('shows what other parts register in the same registry', async () => {
    const registry = createMetricsRegistry();
    registry.gauge('whatisup_sessions_live', 'Open sessions.', [], (gauge) => gauge.set({}, 4));
    await setUp({ registry });
    expect(valueOf(await scrape(), 'whatisup_sessions_live')).toBe(4);
  });

  it('wants the scrape token when the operator set one', async () => {
    await setUp({ bearerToken: 'scrape-token-123' });
    const { key } = await subject.newCustomer();
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${key}`, 'scrape-token-123']) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const refused = await subject.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(refused.statusCode, String(authorization)).toBe(401);
      expect(refused.json().error.code).toBe('unauthenticated');
      expect(refused.body).not.toContain('scrape-token-123');
    }
    expect((await scrape({ authorization: 'Bearer scrape-token-123' })).length).toBeGreaterThan(0);
  });

  it('is documented in OpenAPI as a public operations route, and is never rate limited', async () => {
    await setUp({ rateLimiter: createInMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001 }) });
    const document = (await subject.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.paths['/metrics'].get.security).toEqual([]);
    expect(document.paths['/metrics'].get.tags).toEqual(['Operations']);
    for (let i = 0; i < 3; i++) {
      const response = await subject.app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('counts the requests let through while the rate limiter was unreachable', async () => {
    const unreachable: RateLimiter = {
      policy: { capacity: 1, refillPerSecond: 1 },
      take: () => Promise.reject(new Error('down')),
      peek: () => Promise.reject(new Error('down')),
    };
    await setUp({ rateLimiter: unreachable });
    const { auth } = await subject.newCustomer();
    await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: auth });
    await subject.app.inject({ method: 'GET', url: '/v1/audit-events', headers: auth });
    expect(valueOf(await scrape(), 'whatisup_rate_limiter_failures_total')).toBe(2);
  });

  it('counts 429s by reason and failed authentications', async () => {
    await setUp({ rateLimiter: createInMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001 }) });
    const { auth } = await subject.newCustomer();
    await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: auth });
    const limited = await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: auth });
    expect(limited.statusCode).toBe(429);
    await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: { authorization: 'Bearer wiu_wrong' } });
    const samples = await scrape();
    expect(valueOf(samples, 'whatisup_http_throttled_total', { reason: 'requests' })).toBe(1);
    expect(valueOf(samples, 'whatisup_http_authentication_failures_total')).toBe(1);
  });
});
