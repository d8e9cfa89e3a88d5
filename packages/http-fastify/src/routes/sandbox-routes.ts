import { InjectedEventJson, SandboxEventInjection, toInjectedEventJson, toSandboxEventInput, type SandboxControls } from '@whatisup/core';
import * as v from 'valibot';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams } from '../schemas/common-schemas.js';
import { InjectedMessageJson, SandboxInboundBody } from '@whatisup/core/messages';
import { isSandboxChange, toSandboxChangeRequest, toSandboxInboundInput } from '../schemas/to-sandbox-inbound-input.js';

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
        'message; media goes inline as `media_base64` with `mime_type`. A reaction (`message.reaction`), an `edit` ' +
        '(`message.edited`), a `revoke` (`message.revoked`), a `poll_vote` on a poll this instance sent (`poll.vote`) and ' +
        'a `played` receipt of a voice note it sent (`message.played`) name a message by `message_id` (a `msg_` id or a ' +
        "WhatsApp id) and follow the sandbox's rules: 404 for a `msg_` id, poll or voice note that is not this " +
        "instance's, 409 `conflict` for one not sent yet, an edit of the instance's own message, a vote on a message " +
        'that is not a poll or `played` on one that is not audio, 400 for options the poll does not have. ' +
        'With a `kind`, the phone reports something else: `call` (a call rings: `call.offered`), `call_end` (it ends: ' +
        '`call.terminated`; 404 unless it rings), `story_view` (someone opens a status post: `story.viewed`).',
      tags,
      params: IdParams,
      body: v.union([SandboxInboundBody, SandboxEventInjection]),
      response: { status: 201, description: 'The message (or the event) was received.', schema: v.union([InjectedMessageJson, InjectedEventJson]) },
      errors: [400, 403, 404, 409],
      handler: async ({ principal, params, body }) => {
        if ('kind' in body) {
          return toInjectedEventJson(body.kind, await deps.sandbox.sandboxEvent(principal, params.id, toSandboxEventInput(body)));
        }
        if (isSandboxChange(body.body)) {
          const change = await deps.sandbox.sandboxChange(principal, params.id, toSandboxChangeRequest({ ...body, body: body.body }));
          return { message_id: change.changeId, from: change.from, chat_id: change.chatId, received_at: change.at.toISOString() };
        }
        const message = await deps.sandbox.sandboxInbound(principal, params.id, toSandboxInboundInput({ ...body, body: body.body }));
        return { message_id: message.messageId, from: message.from, chat_id: message.chatId, received_at: message.receivedAt.toISOString() };
      },
    }),
  ];
}
