import type { FastifyInstance } from 'fastify';
import type { Router } from '../lib/create-router.js';
import { buildOpenApiDocument, type ApiInfo } from '../openapi/build-openapi-document.js';
import type { OpenApiDocument } from '../openapi/openapi-document.js';
import { renderDocsPage } from '../openapi/render-docs-page.js';

/**
 * Serves `GET /openapi.json` and `GET /docs` (public), built once from every route the router knows. Call
 * it after the last route is registered: a schema that cannot be documented then fails the app's build,
 * not a request.
 */
export function installApiDocs(app: FastifyInstance, router: Router, info: ApiInfo): void {
  const document: OpenApiDocument = buildOpenApiDocument(router.routes(), info);
  const page = renderDocsPage(document);

  app.get('/openapi.json', { config: { public: true } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(document),
  );
  app.get('/docs', { config: { public: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(page),
  );
}
