import type { FastifyInstance } from 'fastify';
import { ApiError } from '../lib/api-error.js';
import { jsonNestsDeeperThan } from '../lib/json-nesting-depth.js';

/** Deepest nesting of arrays and objects a request body may have; no documented body comes near it. */
export const MAX_JSON_DEPTH = 32;

/**
 * Request bodies are JSON and nothing else: any other content type is a 415. An empty body is no body (many
 * clients send `Content-Type: application/json` on every request, DELETE included); a route that needs
 * one says so in its schema. A body nested deeper than `MAX_JSON_DEPTH` is a 400 before it is parsed.
 * Non-empty bodies go through Fastify's parser, which refuses `__proto__` and `constructor.prototype` keys.
 */
export function installJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') {
      done(null, undefined);
      return;
    }
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      const message = `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`;
      done(new ApiError(400, 'invalid_input', message, { issues: [{ in: 'body', path: '', message }], max_depth: MAX_JSON_DEPTH }), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
