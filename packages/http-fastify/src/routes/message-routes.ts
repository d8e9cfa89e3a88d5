/*
 * Sending and reading outbound messages. Both send routes answer 202 as soon as the message is staged
 * (core's sendMessage); the outbox sends it later, in acceptance order. A repeat (same Idempotency-Key,
 * or same client_ref on the instance) gets the first answer again with `Idempotent-Replayed: true`.
 */
import {
  MAX_IDEMPOTENCY_KEY_LENGTH,
  SendMessageBodySchema,
  SendMessageWithInstanceBodySchema,
  type GetMessage,
  type SendMessageBody,
  type ListMessages,
  type Principal,
  type SendMessage,
} from '@whatisup/core';
import {
  MessageAcceptedJson,
  MessageDetailJson,
  MessageJson,
  messageFilterEntries,
  toMessageAcceptedJson,
  toMessageDetailJson,
  toMessageJson,
  type MessageAcceptedJson as Accepted,
} from '@whatisup/core/messages';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { type AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { IdParams, pageOf, pageQueryEntries } from '../schemas/common-schemas.js';
import { idempotencyKeyOf } from '../schemas/idempotency-key-header.js';
import { annotateRequest } from '../plugins/request-context.js';

const MessagesQuery = v.object({ ...pageQueryEntries, ...messageFilterEntries });

/** Core's message use cases, named as the composition root names them. */
export interface MessageRoutesDeps {
  readonly sendMessage: SendMessage;
  readonly getMessage: GetMessage;
  readonly listMessages: ListMessages;
}

const tags = ['Messages'];

const SEND_DESCRIPTION =
  'Stages the message and answers 202 at once; it is sent in the order accepted, and `message.sent`, ' +
  '`message.delivered`, `message.read` or `message.failed` follow with the returned `message_id`. ' +
  `Send an \`Idempotency-Key\` header (1-${MAX_IDEMPOTENCY_KEY_LENGTH} printable characters) or a \`client_ref\` to retry safely: a repeat ` +
  'returns the first answer (202, header `Idempotent-Replayed: true`) and sends nothing; the same key with a ' +
  'different request is 409 `idempotency_conflict`. 409 `not_connected` unless the instance is connected or ' +
  'reconnecting; 422 `unsafe_url` for a `media_url` that is not a public address; 413 past the size caps.';

const SEND_ERRORS = [403, 404, 409, 413, 415, 422];

export function messageRoutes(deps: MessageRoutesDeps): AnyRouteSpec[] {
  async function accept(
    principal: Principal,
    instanceId: string,
    body: SendMessageBody,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<Accepted> {
    const idempotencyKey = idempotencyKeyOf(request.headers);
    const { message, created } = await deps.sendMessage(principal, {
      instanceId,
      to: body.to,
      body: body.body,
      clientRef: body.client_ref,
      replyTo: body.reply_to,
      idempotencyKey,
    });
    annotateRequest(request, { message_id: message.id });
    reply.header('location', `/v1/messages/${message.id}`);
    if (!created) reply.header('idempotent-replayed', 'true');
    return toMessageAcceptedJson(message);
  }

  return [
    defineRoute({
      method: 'POST',
      url: '/v1/instances/:id/messages',
      operationId: 'sendMessage',
      summary: 'Send a message',
      description: SEND_DESCRIPTION,
      tags,
      params: IdParams,
      body: SendMessageBodySchema,
      response: { status: 202, description: 'Accepted and queued (or the first answer to a repeat).', schema: MessageAcceptedJson },
      errors: SEND_ERRORS,
      handler: async ({ principal, params, body, request, reply }) => accept(principal, params.id, body, request, reply),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/messages',
      operationId: 'sendMessageToInstance',
      summary: 'Send a message (instance in the body)',
      description: `The same as \`POST /v1/instances/{id}/messages\`, with the instance as \`instance_id\`. ${SEND_DESCRIPTION}`,
      tags,
      body: SendMessageWithInstanceBodySchema,
      response: { status: 202, description: 'Accepted and queued (or the first answer to a repeat).', schema: MessageAcceptedJson },
      errors: SEND_ERRORS,
      handler: async ({ principal, body: { instance_id, ...body }, request, reply }) =>
        accept(principal, instance_id, body, request, reply),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/messages',
      operationId: 'listMessages',
      summary: 'List messages',
      description: 'Outbound messages, newest first, without their history. A key bound to an instance sees only its own.',
      tags,
      query: MessagesQuery,
      response: { status: 200, description: 'A page of messages.', schema: pageOf(MessageJson) },
      errors: [403],
      handler: async ({ principal, query }) => {
        const page = await deps.listMessages(principal, {
          limit: query.limit,
          cursor: query.cursor,
          instanceId: query.instance_id,
          status: query.status,
        });
        return { data: page.data.map(toMessageJson), next_cursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/messages/:id',
      operationId: 'getMessage',
      summary: 'Get a message',
      description: 'Its current status, WhatsApp’s id once sent, the error if it failed, and its status trail with times.',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The message with its history.', schema: MessageDetailJson },
      errors: [404],
      handler: async ({ principal, params }) => toMessageDetailJson(await deps.getMessage(principal, params)),
    }),
  ];
}
