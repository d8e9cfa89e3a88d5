import { InjectedEventJson, SandboxEventInjection, toInjectedEventJson, toSandboxEventInput, type SandboxControls } from '@whatisup/core';
import * as v from 'valibot';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams } from '../schemas/common-schemas.js';
import { InjectedMessageJson, SandboxInboundBody } from '@whatisup/core/messages';
import { toSandboxInboundInput } from '../schemas/to-sandbox-inbound-input.js';

/** The session manager satisfies it. */
export interface SandboxRoutesDeps {
  readonly sandbox: SandboxControls;
}

const tags = ['Sandbox'];

export function sandboxRoutes(deps: SandboxRoutesDeps): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/instances/:id/sandbox/scan',
      operationId: 'scanSandboxQr',
      summary: 'Scan the QR of a sandbox instance',
      description:
        'Completes the pairing of a sandbox instance now, as if its QR code were scanned (it also pairs on its ' +
        'own after a few seconds). Connect it first; `instance.connected` follows. Sandbox instances only.',
      tags,
      params: IdParams,
      response: { status: 204, description: 'Scanned; the instance connects.' },
      errors: [403, 404, 409],
      handler: async ({ principal, params }) => deps.sandbox.sandboxScan(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/instances/:id/sandbox/inbound',
      operationId: 'injectSandboxMessage',
      summary: 'Receive a simulated message on a sandbox instance',
      description:
        'Delivers a message to a connected sandbox instance as if `from` had sent it: it arrives exactly as a ' +
        'real one (`message.received` on webhooks and `GET /v1/events`). `body` takes the shapes of sending a ' +
        'message; media goes inline as `media_base64` with `mime_type`. A reaction targets a message of this chat. ' +
        'With a `kind`, the phone reports something else: `call` (a call rings: `call.offered`), `call_end` (it ends: ' +
        '`call.terminated`; 404 unless it rings), `story_view` (someone opens a status post: `story.viewed`).',
      tags,
      params: IdParams,
      body: v.union([SandboxInboundBody, SandboxEventInjection]),
      response: { status: 201, description: 'The message (or the event) was received.', schema: v.union([InjectedMessageJson, InjectedEventJson]) },
      errors: [403, 404, 409],
      handler: async ({ principal, params, body }) => {
        if ('kind' in body) {
          return toInjectedEventJson(body.kind, await deps.sandbox.sandboxEvent(principal, params.id, toSandboxEventInput(body)));
        }
        const message = await deps.sandbox.sandboxInbound(principal, params.id, toSandboxInboundInput(body));
        return { message_id: message.messageId, from: message.from, chat_id: message.chatId, received_at: message.receivedAt.toISOString() };
      },
    }),
  ];
}
