/*
 * An instance's chats: the chat list (read from what the instance keeps), and presence, read receipts and
 * chat state changes. Each change is staged in the instance's outbox (202) and happens in acceptance order
 * with the instance's messages.
 */
import { ChatParams, ChatReadBody, PresenceBody, PresenceSubscriptionBody, type ChatUseCases } from '@whatisup/core';
import * as v from 'valibot';
import type { AnyRouteSpec } from '../lib/create-router.js';
import { defineOutboxActionRoute } from '../lib/outbox-action-route.js';
import { IdParams } from '../schemas/common-schemas.js';
import { chatStateRoutes } from './chat-state-routes.js';

export type ChatRoutesDeps = Pick<
  ChatUseCases,
  'setPresence' | 'subscribePresence' | 'markChatRead' | 'listChats' | 'getChat' | 'updateChat' | 'deleteChat'
>;

const tags = ['Chats'];

export function chatRoutes(deps: ChatRoutesDeps): AnyRouteSpec[] {
  return [
    ...chatStateRoutes(deps),
    defineOutboxActionRoute({
      method: 'POST',
      url: '/v1/instances/:id/presence',
      operationId: 'setPresence',
      summary: 'Show online, offline, typing or recording',
      description:
        '`available` / `unavailable` set the account online or offline (in a chat with `chat_id`); `typing`, ' +
        '`recording` and `paused` show or stop "typing…" in the `chat_id` chat. To show typing before one message, ' +
        'send it with `typing_ms` instead.',
      tags,
      params: IdParams,
      body: PresenceBody,
      stage: ({ principal, params, body }, idempotencyKey) =>
        deps.setPresence(principal, { instanceId: params.id, state: body.state, chatId: body.chat_id, idempotencyKey }),
    }),
    defineOutboxActionRoute({
      method: 'POST',
      url: '/v1/instances/:id/presence/subscriptions',
      operationId: 'subscribePresence',
      summary: "Follow a chat's presence",
      description: 'WhatsApp then reports the chat’s presence (online, typing, last seen) as `presence.updated` events.',
      tags,
      params: IdParams,
      body: PresenceSubscriptionBody,
      stage: ({ principal, params, body }, idempotencyKey) =>
        deps.subscribePresence(principal, { instanceId: params.id, chatId: body.chat_id, idempotencyKey }),
    }),
    defineOutboxActionRoute({
      method: 'POST',
      url: '/v1/instances/:id/chats/:chat_id/read',
      operationId: 'markChatRead',
      summary: 'Mark messages read (blue ticks)',
      description: 'The given inbound messages (`message_ids`, WhatsApp ids as `message.received` names them), or every unread message of the chat.',
      tags,
      params: ChatParams,
      // The body may be left out altogether: every unread message.
      body: v.optional(ChatReadBody, {}),
      stage: ({ principal, params, body }, idempotencyKey) =>
        deps.markChatRead(principal, { instanceId: params.id, chatId: params.chat_id, messageIds: body.message_ids, idempotencyKey }),
    }),
  ];
}
