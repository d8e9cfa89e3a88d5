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

interface ErrorWithCode {
  code?: unknown;
  statusCode?: unknown;
}

/**
 * What the caller may be told about `error`, or null when it is unexpected: those become a bare 500 with
 * the request id, and their text is never echoed (it may hold SQL, paths or secrets).
 */
export function toApiError(error: unknown): ApiError | null {
  if (isApiError(error)) return error;
  if (isDomainError(error)) {
    return new ApiError(DOMAIN_ERROR_STATUS[error.code], error.code, error.message, error.details);
  }
  if (typeof error !== 'object' || error === null) return null;
  const { code, statusCode } = error as ErrorWithCode;
  const known = typeof code === 'string' ? FASTIFY_ERRORS[code] : undefined;
  if (known) return new ApiError(known.status, known.code, known.message);
  // Any other client error Fastify raises before our code runs: keep its status, not its wording.
  if (typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number' && statusCode < 500) {
    return new ApiError(statusCode, 'invalid_request', 'The request could not be processed.');
  }
  return null;
}
