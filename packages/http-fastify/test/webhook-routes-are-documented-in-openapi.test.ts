import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from './support/registered-routes.js';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

const WEBHOOK_ROUTES = [
  'POST /v1/webhook-endpoints',
  'GET /v1/webhook-endpoints',
  'GET /v1/webhook-endpoints/:id',
  'PATCH /v1/webhook-endpoints/:id',
  'DELETE /v1/webhook-endpoints/:id',
  'POST /v1/webhook-endpoints/:id/rotate-secret',
  'POST /v1/webhook-endpoints/:id/test',
  'GET /v1/webhook-deliveries',
  'GET /v1/webhook-deliveries/:id',
  'POST /v1/webhook-deliveries/:id/replay',
  'POST /v1/webhook-deliveries/recover',
];

describe('the webhook routes in the OpenAPI document', () => {
  let subject: TestApp<{ clock: FakeClock; webhooks: true }>;
  let document: any;
  const operation = (route: string) => {
    const [method, path] = route.split(' ') as [string, string];
    return document.paths[path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[method.toLowerCase()];
  };

  beforeAll(async () => {
    subject = await buildTestApp({ clock: createFakeClock(), webhooks: true });
    document = (await subject.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => subject.app.close());

  it('serves every webhook route and documents each one, behind the bearer key', () => {
    const served = registeredRoutes(subject.app)
      .filter(({ path }) => path.startsWith('/v1/webhook-'))
      .map(({ method, path }) => `${method} ${path}`);
    expect(served.sort()).toEqual([...WEBHOOK_ROUTES].sort());
    for (const route of WEBHOOK_ROUTES) {
      expect(operation(route), route).toBeDefined();
      expect(operation(route).security, route).toEqual([{ bearerAuth: [] }]);
    }
  });

  it('shows signing_secret only in the create and rotate responses', () => {
    const withSecret = WEBHOOK_ROUTES.filter((route) => {
      const op = operation(route);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'))![1] as any;
      return JSON.stringify(success.content ?? {}).includes('signing_secret');
    });
    expect(withSecret.sort()).toEqual(['POST /v1/webhook-endpoints', 'POST /v1/webhook-endpoints/:id/rotate-secret']);
  });

  it('documents the event names, URL limit, filters, statuses and error responses', () => {
    const create = operation('POST /v1/webhook-endpoints');
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['url', 'events']);
    expect(body.properties.url.maxLength).toBe(2048);
    expect(body.properties.events.items.enum).toEqual(expect.arrayContaining(['*', 'message.received', 'webhook.test']));
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '422']));

    const list = operation('GET /v1/webhook-deliveries');
    const names = list.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['limit', 'cursor', 'status', 'event', 'instance_id', 'endpoint_id']));
    const status = list.parameters.find((p: { name: string }) => p.name === 'status');
    expect(status.schema.enum).toEqual(['pending', 'retrying', 'success', 'failed']);

    const detail = operation('GET /v1/webhook-deliveries/:id').responses['200'].content['application/json'].schema;
    expect(Object.keys(detail.properties)).toEqual(expect.arrayContaining(['raw_payload', 'attempts']));
    expect(detail.properties).not.toHaveProperty('payload');
    expect(detail.properties.raw_payload.type).toBe('string');
    expect(detail.properties.attempts.items.required).toEqual(
      expect.arrayContaining(['started_at', 'duration_ms', 'response_status', 'error', 'response_excerpt']),
    );

    const recover = operation('POST /v1/webhook-deliveries/recover');
    expect(recover.requestBody.content['application/json'].schema.properties.since.format).toBe('date-time');
    expect(Object.keys(recover.responses)).toEqual(expect.arrayContaining(['202', '409']));
    expect(Object.keys(operation('POST /v1/webhook-endpoints/:id/test').responses)).toContain('202');
  });

  it('lists every webhook operation on the docs page', async () => {
    const page = (await subject.app.inject({ method: 'GET', url: '/docs' })).body;
    for (const route of WEBHOOK_ROUTES) expect(page).toContain(`id="${operation(route).operationId}"`);
  });
});
