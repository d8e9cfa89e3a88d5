/*
 * A route that asks WhatsApp and waits for the answer (a live lookup on the instance's session, bounded by a
 * deadline in core). Declared with this helper so every such route documents the same outcomes: 409
 * `not_connected` when no connected session runs for the instance, 504 `upstream_timeout` when WhatsApp does
 * not answer within the deadline, 503 `unavailable` when it fails to; the error table maps the codes core
 * throws (lib/domain-error-status.ts).
 */
import { defineRoute, type AnySchema, type ObjectSchema, type RouteSpec } from './route-spec.js';

const LIVE_LOOKUP_NOTE =
  'Asks WhatsApp through the instance’s connected session and answers synchronously: 409 `not_connected` ' +
  'when the instance has no connected session, 504 `upstream_timeout` when WhatsApp does not answer in time ' +
  '(nothing changed; try again), 503 `unavailable` when WhatsApp fails to answer.';

export function defineLiveLookupRoute<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends AnySchema | undefined = undefined,
  R extends AnySchema | undefined = undefined,
>(spec: RouteSpec<P, Q, B, R>): RouteSpec<P, Q, B, R> {
  return defineRoute({
    ...spec,
    description: spec.description === undefined ? LIVE_LOOKUP_NOTE : `${spec.description} ${LIVE_LOOKUP_NOTE}`,
    errors: [...new Set([...(spec.errors ?? []), 403, 404, 409, 503, 504])].sort(),
  });
}
