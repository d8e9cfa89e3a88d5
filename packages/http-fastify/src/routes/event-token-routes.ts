import type { MintEventToken } from '@whatisup/core';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { CreateEventTokenBody, EventTokenJson } from '@whatisup/core/event-tokens';

export interface EventTokenRoutesDeps {
  /** core's `createMintEventToken(...)`. */
  readonly mintEventToken: MintEventToken;
}

export function eventTokenRoutes(deps: EventTokenRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/event-tokens',
      operationId: 'createEventToken',
      summary: 'Mint a short-lived event token',
      description:
        'A browser cannot send an Authorization header with EventSource, and an API key must never be put in a ' +
        'URL: trade your key for a token that only reads events, for minutes, and use it as ' +
        '`GET /v1/events?token=...`. It is stateless and cannot be revoked, so keep `ttl_seconds` short.\n\n' +
        '**Pairing link.** To let the person holding the phone pair an instance, mint a token bound to it ' +
        '(`{"instance_id":"inst_..."}`) and hand them `<your WhatIsUp URL>/pair?token=<token>`: the page shows the ' +
        'live QR code and then "Connected". The page shows QR codes issued while it is open: open it, then ' +
        'call `POST /v1/instances/{id}/connect` (if you connect first, it shows the next QR, about 20 s later ' +
        'on a real phone). Mint the token with enough `ttl_seconds` for them to open it.',
      tags: ['Events'],
      body: CreateEventTokenBody,
      response: { status: 201, description: 'The token.', schema: EventTokenJson },
      errors: [403, 404],
      handler: async ({ principal, body }) => {
        const minted = await deps.mintEventToken(principal, { instanceId: body.instance_id, ttlSeconds: body.ttl_seconds });
        return { token: minted.token, expires_at: minted.expiresAt.toISOString(), instance_id: minted.instanceId };
      },
    }),
  ];
}
