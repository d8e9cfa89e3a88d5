import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from './api-error.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** The body of every failure: `{"error":{"code","message","details"},"request_id":"req_..."}`. */
export interface ErrorEnvelope {
  readonly error: { readonly code: string; readonly message: string; readonly details: Record<string, unknown> };
  readonly request_id: string;
}

export const INTERNAL_ERROR_MESSAGE = 'An internal error occurred. Quote the request id when reporting it.';

export function errorEnvelope(request: FastifyRequest, error: ApiError): ErrorEnvelope {
  return { error: { code: error.code, message: error.message, details: error.details }, request_id: request.id };
}

/** Sends `error` in the envelope, with the headers its status calls for. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  reply.header(REQUEST_ID_HEADER, request.id);
  if (error.status === 401) reply.header('www-authenticate', 'Bearer realm="whatisup"');
  const retryAfter = error.details['retry_after_seconds'];
  if ((error.status === 429 || error.status === 503) && typeof retryAfter === 'number') {
    reply.header('retry-after', String(Math.max(0, Math.ceil(retryAfter))));
  }
  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .send(errorEnvelope(request, error));
}
