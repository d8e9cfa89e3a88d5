import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../lib/api-error.js';
import { INTERNAL_ERROR_MESSAGE, sendError } from '../lib/send-error.js';
import { createMethodIndex } from '../lib/method-index.js';
import { toApiError } from '../lib/to-api-error.js';

/**
 * Turns every failure into the error envelope: thrown errors, unknown routes (405 with `Allow` when the path
 * exists under other methods, else 404) and (through
 * `handleFrameworkError`, passed as Fastify's `frameworkErrors` option) malformed URLs. Unexpected errors
 * are logged in full and answered with a bare 500 that carries only the request id.
 */
export function installErrorHandling(app: FastifyInstance): void {
  const methods = createMethodIndex(app);
  app.setErrorHandler((error: FastifyError, request, reply) => handleError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const allowed = methods.allowedFor(path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(
        request,
        reply,
        new ApiError(405, 'method_not_allowed', `${path} does not take ${request.method}; it takes ${allowed.join(', ')}.`, { allowed }),
      );
    }
    return sendError(request, reply, new ApiError(404, 'not_found', `No route for ${request.method} ${path}.`));
  });
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = toApiError(error, { bodyLimitBytes: request.routeOptions.bodyLimit, method: request.method });
  // Said once, on the request's own line (plugins/request-log.ts), not on a line of its own.
  if (known) {
    request.failure = { code: known.code };
    return sendError(request, reply, known);
  }
  request.failure = { code: 'internal_error', error };
  return sendError(request, reply, new ApiError(500, 'internal_error', INTERNAL_ERROR_MESSAGE));
}

export const handleFrameworkError = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
  handleError(error, request, reply);
};
