/*
 * The lifecycle of an instance's WhatsApp session: connect, QR, pairing code, logout, restart. Which
 * request is legal in which status is core's business (an illegal one is 409 `invalid_lifecycle_transition`).
 */
import type { SessionRequests } from '@whatisup/core';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams } from '../schemas/common-schemas.js';
import { InstanceJson, toInstanceJson } from '@whatisup/core/instances';
import { PairCodeBody, PairCodeJson, QrJson } from '@whatisup/core/sessions';

/** The session manager satisfies it. */
export interface SessionRoutesDeps {
  readonly sessions: SessionRequests;
}

const tags = ['Sessions'];

export function sessionRoutes(deps: SessionRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/instances/:id/connect',
      operationId: 'connectInstance',
      summary: 'Connect an instance',
      description:
        'Starts the WhatsApp session: an unpaired instance goes `connecting`, then `qr_required` with a QR to ' +
        'scan (`GET /v1/instances/{id}/qr`, `qr.updated` events); a paired one reconnects without a QR. ' +
        'Idempotent while pairing or reconnecting. 409 when it is already connected; 503 `worker_at_capacity` ' +
        'when every live node runs as many sessions as it may (a full node offers the start to the others).',
      tags,
      params: IdParams,
      response: { status: 202, description: 'The session is starting; the instance as it is now.', schema: InstanceJson },
      errors: [403, 404, 409, 503],
      handler: async ({ principal, params }) => toInstanceJson(await deps.sessions.connect(principal, params.id)),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/instances/:id/qr',
      operationId: 'getInstanceQr',
      summary: 'Get the QR code to pair',
      description:
        'The QR the session currently shows, starting the session when needed; waits up to about 10 s for the ' +
        'first one (503 `unavailable` if none came). QR codes rotate: follow `qr.updated` on `GET /v1/events` ' +
        'to show the live one. 409 `no_qr` when the instance is connected.',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The QR code.', schema: QrJson },
      errors: [403, 404, 409, 503],
      handler: async ({ principal, params }) => {
        const qr = await deps.sessions.getQr(principal, params.id);
        return { qr: qr.raw, png_data_url: qr.pngDataUrl };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/instances/:id/pair-code',
      operationId: 'requestPairingCode',
      summary: 'Get a pairing code instead of a QR',
      description: 'An 8-character code the person types on the phone for the given number, instead of scanning.',
      tags,
      params: IdParams,
      body: PairCodeBody,
      response: { status: 200, description: 'The pairing code.', schema: PairCodeJson },
      errors: [403, 404, 409, 503],
      handler: async ({ principal, params, body }) => deps.sessions.requestPairingCode(principal, params.id, body.phone_number),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/instances/:id/logout',
      operationId: 'logoutInstance',
      summary: 'Log the instance out',
      description: 'Logs the linked device out of WhatsApp and forgets its credentials: the instance becomes `disconnected` (reason `logout`) and needs a new pairing.',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The logged-out instance.', schema: InstanceJson },
      errors: [403, 404, 409],
      handler: async ({ principal, params }) => toInstanceJson(await deps.sessions.logout(principal, params.id)),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/instances/:id/restart',
      operationId: 'restartInstance',
      summary: 'Restart the session',
      description: 'Closes the socket without logging out and connects again (a connected instance goes `reconnecting`, then `connected`).',
      tags,
      params: IdParams,
      response: { status: 202, description: 'The session is restarting; the instance as it is now.', schema: InstanceJson },
      errors: [403, 404, 409, 503],
      handler: async ({ principal, params }) => toInstanceJson(await deps.sessions.restart(principal, params.id)),
    }),
  ];
}
