import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import { buildTestApp, type TestApp } from './support/build-test-app.js';
import { registeredRoutes } from './support/registered-routes.js';

describe('OpenAPI document of the message and media routes', () => {
  let subject: TestApp<{ clock: FakeClock; messages: true }>;
  let document: any;
  beforeAll(async () => {
    subject = await buildTestApp({ clock: createFakeClock(), messages: true });
    document = (await subject.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => subject.app.close());

  it('documents every registered /v1 route', () => {
    const served = registeredRoutes(subject.app).filter(({ path }) => path.startsWith('/v1/'));
    for (const { method, path } of served) {
      const openApiPath = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(document.paths[openApiPath]?.[method.toLowerCase()], `${method} ${path}`).toBeDefined();
    }
    for (const path of ['/v1/instances/{id}/messages', '/v1/messages']) expect(document.paths[path].post).toBeDefined();
    expect(document.paths['/v1/messages'].get.operationId).toBe('listMessages');
    expect(document.paths['/v1/messages/{id}'].get.operationId).toBe('getMessage');
    expect(document.paths['/v1/media/{token}'].get.operationId).toBe('getMedia');
  });

  it('describes the send body as one union on body.type with the recipient pattern', () => {
    const send = document.paths['/v1/instances/{id}/messages'].post;
    const schema = send.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['to', 'body']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.to.pattern).toContain('@g\\.us');
    const types = schema.properties.body.oneOf.map((option: any) => option.properties.type.enum[0]);
    expect(types).toEqual(['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contact', 'reaction', 'poll']);
    expect(Object.keys(send.responses)).toEqual(expect.arrayContaining(['202', '400', '403', '404', '409', '413', '415', '422']));
    expect(send.description).toContain('Idempotency-Key');
    const withInstance = document.paths['/v1/messages'].post.requestBody.content['application/json'].schema;
    expect(withInstance.required).toEqual(['instance_id', 'to', 'body']);
  });

  it('documents the message detail with its history and the list filters', () => {
    const detail = document.paths['/v1/messages/{id}'].get.responses['200'].content['application/json'].schema;
    expect(detail.properties.history.type).toBe('array');
    expect(detail.properties.status.enum).toEqual(['queued', 'sent', 'delivered', 'read', 'failed']);
    const names = document.paths['/v1/messages'].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(['limit', 'cursor', 'instance_id', 'status']);
    expect(Object.keys(document.paths['/v1/media/{token}'].get.responses)).toEqual(expect.arrayContaining(['200', '404', '410']));
  });
});
