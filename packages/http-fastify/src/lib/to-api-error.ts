import { isDomainError } from '@whatisup/core';
import { ApiError, isApiError } from './api-error.js';
import { DOMAIN_ERROR_STATUS } from './domain-error-status.js';

/** Fastify's own request errors, by code, as the envelope's stable codes and caller-safe messages. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'invalid_json',
    message: 'The request body is empty but the content type is application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request body is larger than this server accepts.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Request bodies must be JSON (Content-Type: application/json).',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_request',
    message: 'The request body size does not match its Content-Length.',
  },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_request', message: 'The request URL is malformed.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'invalid_request', message: 'A path parameter is too long.' },
};

/** What the edge knows about the failing request that a message should mention. */
export interface ErrorContext {
  /** The body limit of the request's route (413 says it). */
  readonly bodyLimitBytes?: number | undefined;
  /** The request's method: where a field core names lives (body for POST/PUT/PATCH, else query). */
  readonly method?: string | undefined;
}

/**
 * Every `invalid_input` carries `details.issues`, whichever layer found the problem: a core error naming a
 * `field` gets the one issue it describes.
 */
function withIssues(message: string, details: Record<string, unknown>, context: ErrorContext): Record<string, unknown> {
  if (Array.isArray(details['issues'])) return details;
  const field = typeof details['field'] === 'string' ? details['field'] : '';
  const where = context.method === 'POST' || context.method === 'PUT' || context.method === 'PATCH' ? 'body' : 'query';
  return { ...details, issues: [{ in: where, path: field, message }] };
}

/** Instance states from which `POST /v1/instances/:id/connect` starts a session. */
const CONNECTABLE = new Set(['pending', 'disconnected']);

/** Core words its errors without HTTP; where the fix is another call, the edge says which. */
function withConnectHint(message: string, details: Record<string, unknown>): string {
  const status = details['status'];
  const instanceId = typeof details['instance_id'] === 'string' ? details['instance_id'] : ':id';
  if (typeof status === 'string' && CONNECTABLE.has(status)) {
    return `${message} Connect it first: POST /v1/instances/${instanceId}/connect.`;
  }
  return message;
}

interface ErrorWithCode {
  code?: unknown;
  statusCode?: unknown;
}

/**
 * What the caller may be told about `error`, or null when it is unexpected: those become a bare 500 with
 * the request id, and their text is never echoed (it may hold SQL, paths or secrets).
 */
export function toApiError(error: unknown, context: ErrorContext = {}): ApiError | null {
  if (isApiError(error)) return error;
  if (isDomainError(error)) {
    const details = error.code === 'invalid_input' ? withIssues(error.message, error.details, context) : error.details;
    return new ApiError(DOMAIN_ERROR_STATUS[error.code], error.code, error.code === 'not_connected' ? withConnectHint(error.message, error.details) : error.message, details);
  }
  if (typeof error !== 'object' || error === null) return null;
  const { code, statusCode } = error as ErrorWithCode;
  const known = typeof code === 'string' ? FASTIFY_ERRORS[code] : undefined;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' && context.bodyLimitBytes !== undefined) {
    const limit = context.bodyLimitBytes;
    return new ApiError(413, 'payload_too_large', `The request body is larger than this server accepts (${limit} bytes at most).`, {
      limit_bytes: limit,
    });
  }
  if (known) return new ApiError(known.status, known.code, known.message);
  // Any other client error Fastify raises before our code runs: keep its status, not its wording.
  if (typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number' && statusCode < 500) {
    return new ApiError(statusCode, 'invalid_request', 'The request could not be processed.');
  }
  return null;
}
