/*
 * One log line per request, written when the response is finished: method, URL (secrets redacted as
 * everywhere), status, duration and, through the request's logger, its request id. Fastify's own two lines
 * per request ("incoming request", "request completed") are switched off in buildHttpApp: in a terminal
 * they double the noise, and the first carries nothing the last does not. A 5xx is logged as an error so
 * it stands out, carrying the unexpected error that caused it (the error handler logs nothing itself). An event stream takes over its response,
 * so Fastify never finishes it: the stream logs its own lines, when it opens and when it ends.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redactUrl } from '../lib/logging.js';

/**
 * Logs `GET /url 200 12.3ms` (and `note` after it) with the same fields as structured data, plus the error
 * code of a failed request and, for an unexpected error, the error itself (its only log line).
 */
export function logRequestLine(request: FastifyRequest, reply: FastifyReply, note?: string): void {
  const url = redactUrl(request.url);
  const status = reply.statusCode;
  const durationMs = Math.round(reply.elapsedTime * 10) / 10;
  const failure = request.failure;
  const line = {
    method: request.method,
    url,
    status,
    duration_ms: durationMs,
    ...(failure !== null && { error_code: failure.code }),
    ...(failure?.error !== undefined && { err: failure.error }),
  };
  const message = `${request.method} ${url} ${status} ${durationMs}ms${note === undefined ? '' : ` ${note}`}`;
  if (status >= 500) request.log.error(line, message);
  else request.log.info(line, message);
}

export function installRequestLog(app: FastifyInstance): void {
  app.decorateRequest('failure', null);
  app.addHook('onResponse', async (request, reply) => logRequestLine(request, reply));
}
