import { API_KEY_MARKER, EVENT_TOKEN_PREFIX } from '@whatisup/core';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/** The `wiu_<lookup>` start of a key anywhere in a value (an event token, `wiuevt_...`, is not one). */
const API_KEY_IN_URL = new RegExp(`(^|[^A-Za-z0-9])${API_KEY_MARKER}_[a-z2-7]{8}`);

/**
 * Refuses a request with an API key anywhere in its query (401, reason `api_key_in_url`). The bearer hook
 * runs it for every /v1 route, before the query is validated, so the caller learns to rotate the key rather
 * than that the parameter is unknown.
 */
export function refuseApiKeyInUrl(request: FastifyRequest): void {
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  for (const value of query.values()) {
    if (!value.startsWith(EVENT_TOKEN_PREFIX) && API_KEY_IN_URL.test(value)) {
      throw new ApiError(
        401,
        'unauthenticated',
        'Never put an API key in a URL. Send it as "Authorization: Bearer <key>", or mint a short-lived event token ' +
          '(POST /v1/event-tokens) and pass that as ?token=. Consider this key exposed and rotate it.',
        { reason: 'api_key_in_url' },
      );
    }
  }
}
