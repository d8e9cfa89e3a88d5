/*
 * Bearer authentication for every route that is not declared public (default deny: a new route is
 * protected unless it says otherwise). It runs in `onRequest`, before the body is read, so an anonymous
 * caller never gets a body parsed or validated. Unknown routes skip it and answer 404.
 */
import type { Principal } from '@whatisup/core';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../lib/api-error.js';
import '../lib/fastify-augmentation.js';

/** Resolves a raw API key to its principal; throws `DomainError('unauthenticated')` for any bad key. */
export interface Authenticator {
  authenticate(rawKey: string): Promise<Principal>;
}

const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

export function installAuthentication(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (request.is404 || request.routeOptions.config.public === true) return;
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (match === null) {
      throw new ApiError(401, 'unauthenticated', 'Send your API key as "Authorization: Bearer <key>".');
    }
    request.principal = await authenticator.authenticate(match[1]!);
  });
}
