/*
 * Bearer authentication for every route that is not declared public (default deny: a new route is
 * protected unless it says otherwise). It runs in `onRequest`, before the body is read, so an anonymous
 * caller never gets a body parsed or validated. Unknown routes skip it and answer 404. Failed attempts are
 * counted per client address (`authenticateThrottled`); an address past its allowance gets 429 without
 * its key being looked up.
 */
import type { Principal } from '@whatisup/core';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../lib/api-error.js';
import type { AuthFailureThrottle } from '../lib/auth-failure-throttle.js';
import { authenticateThrottled } from '../lib/authenticate-throttled.js';
import '../lib/fastify-augmentation.js';
import { refuseApiKeyInUrl } from '../lib/refuse-api-key-in-url.js';
import { annotateRequest } from './request-context.js';

/** Resolves a raw API key to its principal; throws `DomainError('unauthenticated')` for any bad key. */
export interface Authenticator {
  authenticate(rawKey: string): Promise<Principal>;
}

const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

export function installAuthentication(app: FastifyInstance, authenticator: Authenticator, throttle: AuthFailureThrottle | null): void {
  app.decorateRequest('principal', null);
  // Routes that authenticate themselves (the event stream) share the same throttle.
  app.decorate('authFailureThrottle', throttle);
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    // Before anything reads the query: a key pasted into a /v1 URL (even the public event stream's) is refused
    // with advice to rotate it, not reported as an unknown parameter. /pair answers in HTML and checks its own.
    if (request.routeOptions.url?.startsWith('/v1/') === true) refuseApiKeyInUrl(request);
    if (request.routeOptions.config.public === true) return;
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (match === null) {
      throw new ApiError(401, 'unauthenticated', 'Send your API key as "Authorization: Bearer <key>".');
    }
    const principal = await authenticateThrottled(throttle, request, () => authenticator.authenticate(match[1]!));
    request.principal = principal;
    annotateRequest(request, { customer_id: principal.customerId, key_id: principal.keyId });
  });
}
