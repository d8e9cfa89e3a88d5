import { createRecordingTracing } from '@whatisup/core/testing';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { defineRoute } from '../src/lib/route-spec.js';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

let subject: TestApp;
afterEach(async () => subject.close());

describe('request spans', () => {
  it('makes each request a server span named by its route, active while the handler runs', async () => {
    const tracing = createRecordingTracing();
    let seenInHandler: string | null = null;
    const route = defineRoute({
      method: 'GET',
      url: '/v1/instances/:id/probe',
      operationId: 'probe',
      summary: 'Probe',
      tags: ['Test'],
      params: v.object({ id: v.string() }),
      response: { status: 200, description: 'The trace context the handler ran in.', schema: v.object({}) },
      handler: async () => {
        seenInHandler = tracing.activeTraceparent();
        return {};
      },
    });
    subject = await buildTestApp({ tracing, routes: [route] });
    const { auth, customerId } = await subject.newCustomer();
    const response = await subject.app.inject({
      method: 'GET',
      url: '/v1/instances/inst_1/probe',
      // A caller's trace context is not trusted: the request starts its own trace.
      headers: { ...auth, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    expect(response.statusCode).toBe(200);

    const span = tracing.spans.find((s) => s.kind === 'server')!;
    expect(span).toMatchObject({ name: 'GET /v1/instances/:id/probe', parentSpanId: null, ended: true, error: null });
    expect(span.traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/v1/instances/:id/probe',
      'http.response.status_code': 200,
      'whatisup.request.id': response.headers['x-request-id'],
      'whatisup.customer.id': customerId,
      'whatisup.instance.id': 'inst_1',
    });
    expect(seenInHandler).toBe(`00-${span.traceId}-${span.spanId}-01`);
    const line = subject.logs().find((entry) => entry['request_id'] === response.headers['x-request-id']);
    expect(line).toMatchObject({ trace_id: span.traceId, instance_id: 'inst_1' });
  });

  it('marks a 5xx answer failed and names an unknown route by its method only', async () => {
    const tracing = createRecordingTracing();
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
    subject = await buildTestApp({ tracing, routes: [route] });
    const { auth } = await subject.newCustomer();
    await subject.app.inject({ method: 'GET', url: '/v1/explode', headers: auth });
    await subject.app.inject({ method: 'GET', url: '/v1/nowhere/secret-path', headers: auth });
    const [explode, unknown] = tracing.spans;
    expect(explode).toMatchObject({ name: 'GET /v1/explode', error: '500', ended: true });
    expect(unknown).toMatchObject({ name: 'GET', ended: true });
    expect(unknown!.attributes['http.response.status_code']).toBe(404);
    expect(JSON.stringify(tracing.spans)).not.toContain('secret-path');
  });
});
