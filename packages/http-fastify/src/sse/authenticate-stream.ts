/*
 * Who is reading a stream. The event stream is declared public so the bearer hook lets a browser in
 * without an Authorization header; it authenticates here instead, by the header when there is one, else
 * by an event token in `?token=`. An API key in the URL is refused outright, even next to a valid header:
 * URLs end up in logs, browser history and Referer headers, and accepting it once teaches integrators to
 * leak their keys. Failures count against the client's address like any other failed authentication.
 */
import { EVENT_TOKEN_PREFIX, type Principal, type VerifyEventToken } from '@whatisup/core';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../lib/api-error.js';
import { authenticateThrottled } from '../lib/authenticate-throttled.js';
import '../lib/fastify-augmentation.js';
import { refuseApiKeyInUrl } from '../lib/refuse-api-key-in-url.js';
import type { Authenticator } from '../plugins/authentication.js';

export interface StreamAuthDeps {
  readonly authenticator: Authenticator;
  readonly verifyEventToken: VerifyEventToken;
}

const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

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

