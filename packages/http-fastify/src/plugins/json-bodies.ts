import type { FastifyInstance } from 'fastify';

/**
 * Request bodies are JSON and nothing else: any other content type is a 415. An empty body is no body (many
 * clients send `Content-Type: application/json` on every request, DELETE included); a route that needs
 * one says so in its schema. Non-empty bodies go through Fastify's parser, which refuses `__proto__` and
 * `constructor.prototype` keys.
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
    parseJson(request, text, done);
  });
}
