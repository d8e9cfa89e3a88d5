/*
 * `GET /pair?token=...`: the page an integrator hands to the person holding the phone. The token is checked
 * when the page is served, so a bad or expired link says so at once instead of spinning, and the page
 * carries the instance's state at that moment (its live QR, or "Connected"); the page itself then follows
 * `GET /v1/events` with the same token.
 */
import {
  EVENT_TOKEN_PREFIX,
  isDomainError,
  type Principal,
  type SessionRequests,
  type VerifyEventToken,
} from '@whatisup/core';
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { documentedAs } from '../openapi/documented-as.js';
import { PAIRING_PAGE_SCRIPT, renderPairingPage, type PairingPageInitial } from '../pairing/render-pairing-page.js';

export interface PairingPageRoutesDeps {
  readonly verifyEventToken: VerifyEventToken;
  /** The session manager's: the instance and its live QR when the page opens. */
  readonly pairingState: SessionRequests['pairingState'];
}

// Anything goes here and `tokenProblem` judges it: a page must answer with a page, never a JSON 400.
const PairQuery = v.object({
  token: v.optional(
    documentedAs(v.unknown(), { type: 'string', maxLength: 2000, description: 'An instance-bound event token from `POST /v1/event-tokens`.' }),
  ),
});

const scriptHash = createHash('sha256').update(PAIRING_PAGE_SCRIPT).digest('base64');
const CSP = [
  "default-src 'none'",
  `script-src 'sha256-${scriptHash}'`,
  "style-src 'unsafe-inline'",
  'img-src data:',
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function pairingPageRoutes(deps: PairingPageRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/pair',
      operationId: 'pairingPage',
      summary: 'Pairing page (HTML)',
      description:
        'A page for the person holding the phone: it shows the live QR code of one instance and then ' +
        '"Connected" with the phone number. Build the link as `/pair?token=<token>` with a token from ' +
        '`POST /v1/event-tokens {"instance_id":"inst_..."}` (bound to that instance, a few minutes long), and ' +
        'connect the instance (`POST /v1/instances/{id}/connect`) once the page is open. The page opens on the ' +
        "instance's current state: the QR shown at that moment, or \"Connected\" when it is paired already. An " +
        'invalid or expired token shows an error page (401), a deleted instance one (404).',
      tags: ['Events'],
      public: true,
      query: PairQuery,
      response: { status: 200, description: 'The HTML page.', contentType: 'text/html' },
      errors: [401, 404],
      handler: async ({ query, reply }) => {
        reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', CSP)
          .header('referrer-policy', 'no-referrer')
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff');
        const checked = checkToken(deps, query.token);
        if (typeof checked === 'string') return reply.code(401).send(renderPairingPage({ error: checked }));
        const initial = await initialState(deps, checked);
        if (initial === null) {
          return reply.code(404).send(renderPairingPage({ error: 'This instance no longer exists. Ask for a new pairing link.' }));
        }
        return reply.code(200).send(renderPairingPage({ initial }));
      },
    }),
  ];
}

async function initialState(deps: PairingPageRoutesDeps, principal: BoundPrincipal): Promise<PairingPageInitial | null> {
  try {
    const { instance, qr } = await deps.pairingState(principal, principal.instanceId);
    if (instance.status === 'connected') return { state: 'connected', phoneNumber: instance.phoneNumber };
    return qr === null ? { state: 'waiting' } : { state: 'qr', pngDataUrl: qr.pngDataUrl };
  } catch (error) {
    if (isDomainError(error, 'not_found')) return null;
    throw error;
  }
}

type BoundPrincipal = Principal & { readonly instanceId: string };

/** The token's principal, bound to one instance, or what is wrong with the link. */
function checkToken(deps: PairingPageRoutesDeps, token: unknown): BoundPrincipal | string {
  if (token === undefined || token === '') return 'This link has no token. Ask for a new pairing link.';
  if (typeof token !== 'string' || token.length > 2000 || !token.startsWith(EVENT_TOKEN_PREFIX)) {
    return 'This pairing link is invalid. Ask for a new one.';
  }
  try {
    const principal = deps.verifyEventToken(token);
    if (principal.instanceId === null) return 'This link is not for one instance. Ask for a new pairing link.';
    return { ...principal, instanceId: principal.instanceId };
  } catch (error) {
    if (!isDomainError(error, 'unauthenticated')) throw error;
    return error.details.reason === 'expired_token'
      ? 'This pairing link has expired. Ask for a new one.'
      : 'This pairing link is invalid. Ask for a new one.';
  }
}
