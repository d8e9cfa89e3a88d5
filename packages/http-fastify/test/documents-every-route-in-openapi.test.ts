import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { defineRoute } from '../src/index.js';
import { buildTestApp, type TestApp } from './support/build-test-app.js';
import { registeredRoutes } from './support/registered-routes.js';

describe('OpenAPI document and docs page', () => {
  let subject: TestApp;
  let document: any;

  beforeAll(async () => {
    subject = await buildTestApp();
    const response = await subject.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    document = response.json();
  });
  afterAll(async () => subject.app.close());

  it('documents every registered /v1 route', () => {
    const served = registeredRoutes(subject.app).filter(({ path }) => path.startsWith('/v1/'));
    expect(served.length).toBeGreaterThanOrEqual(8);
    for (const { method, path } of served) {
      const openApiPath = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(document.paths[openApiPath]?.[method.toLowerCase()], `${method} ${path}`).toBeDefined();
    }
  });

  it('is OpenAPI 3.0 with a bearer security scheme required on /v1 and absent on public routes', () => {
    expect(document.openapi).toMatch(/^3\.0\./);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/v1/instances'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths['/healthz'].get.security).toEqual([]);
  });

  it('describes params, query, body and responses from the validation schemas', () => {
    const create = document.paths['/v1/instances'].post;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['name']);
    expect(body.properties.kind.enum).toEqual(['whatsapp', 'sandbox']);
    expect(body.additionalProperties).toBe(false);
    expect(create.responses['201'].content['application/json'].schema.properties.created_at.format).toBe('date-time');
    expect(create.responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });

    const list = document.paths['/v1/instances'].get;
    expect(list.parameters.find((p: { name: string }) => p.name === 'limit')).toMatchObject({
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    });
    expect(document.paths['/v1/instances/{id}'].get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
  });

  it('declares the error envelope once', () => {
    expect(document.components.schemas.Error.required).toEqual(['error', 'request_id']);
    expect(document.components.schemas.Error.properties.error.required).toEqual(['code', 'message', 'details']);
  });

  it('gives every operation a unique operationId', () => {
    const ids = Object.values(document.paths).flatMap((ops: any) => Object.values(ops).map((op: any) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves a self-contained HTML page listing every operation', async () => {
    const response = await subject.app.inject({ method: 'GET', url: '/docs' });
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).not.toMatch(/<script|https?:\/\/(?!wa\.)/);
    for (const ops of Object.values(document.paths) as any[]) {
      for (const op of Object.values(ops) as any[]) expect(response.body).toContain(`id="${op.operationId}"`);
    }
  });

  it('documents route groups added by later features', async () => {
    const extra = defineRoute({
      method: 'POST',
      url: '/v1/things/:id/poke',
      operationId: 'pokeThing',
      summary: 'Poke a thing',
      tags: ['Things'],
      params: v.object({ id: v.string() }),
      body: v.object({ strength: v.number() }),
      response: { status: 202, description: 'Poked.', schema: v.object({ ok: v.boolean() }) },
      handler: async () => ({ ok: true }),
    });
    const extended = await buildTestApp({ routes: [extra] });
    const doc = (await extended.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/v1/things/{id}/poke'].post.responses['202']).toBeDefined();
    await extended.app.close();
  });
});
