/*
 * Who is reading a stream. The event stream is declared public so the bearer hook lets a browser in
 * without an Authorization header; it authenticates here instead, by the header when there is one, else
 * by an event token in `?token=`. An API key in the URL is refused outright, even next to a valid header:
 * URLs end up in logs, browser history and Referer headers, and accepting it once teaches integrators to
 * leak their keys. Failures count against the client's address like any other failed authentication.
 */
import { API_KEY_MARKER, EVENT_TOKEN_PREFIX, type Principal, type VerifyEventToken } from '@whatisup/core';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../lib/api-error.js';
import { authenticateThrottled } from '../lib/authenticate-throttled.js';
import '../lib/fastify-augmentation.js';
import type { Authenticator } from '../plugins/authentication.js';

export interface StreamAuthDeps {
  readonly authenticator: Authenticator;
  readonly verifyEventToken: VerifyEventToken;
}

const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;
/** The `wiu_<lookup>` start of a key anywhere in a value (an event token, `wiuevt_...`, is not one). */
const API_KEY_IN_URL = new RegExp(`(^|[^A-Za-z0-9])${API_KEY_MARKER}_[a-z2-7]{8}`);

export function authenticateStream(request: FastifyRequest, deps: StreamAuthDeps): Promise<Principal> {
  return authenticateThrottled(request.server.authFailureThrottle ?? null, request, () => check(request, deps));
}

async function check(request: FastifyRequest, deps: StreamAuthDeps): Promise<Principal> {
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  refuseApiKeyInUrl(request);
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = BEARER.exec(header);
    if (match === null) throw new ApiError(401, 'unauthenticated', 'Send your API key as "Authorization: Bearer <key>".');
    return deps.authenticator.authenticate(match[1]!);
  }
  const token = query.get('token');
  if (token === null || token === '') {
    throw new ApiError(
      401,
      'unauthenticated',
      'Send your API key as "Authorization: Bearer <key>", or an event token from POST /v1/event-tokens as ?token=.',
    );
  }
  if (!token.startsWith(EVENT_TOKEN_PREFIX)) {
    throw new ApiError(401, 'unauthenticated', 'The event token is invalid; mint a new one with POST /v1/event-tokens.', {
      reason: 'invalid_token',
    });
  }
  return deps.verifyEventToken(token);
}

/**
 * Refuses a request with an API key anywhere in its query (401, reason `api_key_in_url`). The bearer hook
 * runs it for every route, before the query is validated, so the caller learns to rotate the key rather
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
