import type { IncomingMessage } from 'node:http';
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
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && (await discardRestOfBody(request.raw, MAX_DISCARDED_BODY_BYTES))) {
      // Fastify asked for the connection to be closed, since the body might still be coming; it has all come.
      reply.removeHeader('connection');
    }
    return handleError(error, request, reply);
  });
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

/**
 * The most of a too-large body read and thrown away before its 413 is sent. A client is usually still sending
 * the body when the server knows it is too large (from its Content-Length, before a byte of it); answering then
 * and closing the connection makes the client's next write fail (EPIPE, a reset) and most clients report that
 * instead of the 413. So the rest of the body is read first, up to this much, and the connection stays open for
 * the next request. A body declared larger, or found larger while read, is answered at once and the connection
 * closed: reading it would only spend this server's bandwidth for a client that sends far past the limit.
 */
export const MAX_DISCARDED_BODY_BYTES = 32 * 1024 * 1024;

/** Reads and drops what is left of `raw`'s body; true once it ended within `maxBytes`, false otherwise. */
function discardRestOfBody(raw: IncomingMessage, maxBytes: number): Promise<boolean> {
  if (raw.complete) return Promise.resolve(true);
  if (Number(raw.headers['content-length'] ?? 0) > maxBytes || raw.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (ended: boolean) => {
      raw.off('data', onData).off('end', onEnd).off('error', onFailure).off('close', onFailure);
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onFailure = () => finish(raw.complete);
    raw.on('data', onData).on('end', onEnd).on('error', onFailure).on('close', onFailure);
    raw.resume();
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
