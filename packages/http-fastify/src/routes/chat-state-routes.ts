/*
 * The chat list of an instance and the state of each chat (archived, pinned, muted, unread, disappearing
 * messages). Reads answer from what the instance keeps; changes are outbox actions, and the stored chat
 * follows when WhatsApp reports the change back (`chat.archived`, `chat.pinned`, `chat.updated`).
 */
import { ChatJson, ChatStateBody, ChatStateParams, toChatJson, type ChatUseCases } from '@whatisup/core';
import * as v from 'valibot';
import type { AnyRouteSpec } from '../lib/create-router.js';
import { defineOutboxActionRoute } from '../lib/outbox-action-route.js';
import { defineRoute } from '../lib/route-spec.js';
import { documentedAs } from '../openapi/documented-as.js';
import { IdParams, pageOf, pageQueryEntries } from '../schemas/common-schemas.js';

const tags = ['Chats'];

const booleanQuery = (description: string) =>
  v.optional(
    v.pipe(
      documentedAs(v.string(), { type: 'boolean', description }),
      v.picklist(['true', 'false'], 'Expected true or false.'),
      v.transform((value) => value === 'true'),
    ),
  );

const ChatsQuery = v.object({
  limit: pageQueryEntries.limit,
  cursor: v.optional(
    v.pipe(v.string(), v.minLength(1), v.maxLength(512), v.description('The `next_cursor` of the previous page; absent for the first page.')),
  ),
  archived: booleanQuery('`true`: archived chats only; `false`: the others.'),
  unread: booleanQuery('`true`: chats with unread messages or marked unread; `false`: the others.'),
});

export function chatStateRoutes(deps: Pick<ChatUseCases, 'listChats' | 'getChat' | 'updateChat' | 'deleteChat'>): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/instances/:id/chats',
      operationId: 'listChats',
      summary: 'List chats',
      description:
        'The chats the instance keeps, most recent activity first: opened by messages and by the chat list the phone ' +
        'syncs. Names, counts and state only, never message bodies. A chat that sees traffic between two page requests ' +
        'moves to the top and may show up twice or not at all; every other chat is listed once.',
      tags,
      params: IdParams,
      query: ChatsQuery,
      response: { status: 200, description: 'A page of chats.', schema: pageOf(ChatJson) },
      errors: [403, 404],
      handler: async ({ principal, params, query }) => {
        const page = await deps.listChats(principal, {
          instanceId: params.id,
          limit: query.limit,
          cursor: query.cursor,
          ...(query.archived !== undefined && { archived: query.archived }),
          ...(query.unread !== undefined && { unread: query.unread }),
        });
        return { data: page.data.map(toChatJson), next_cursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/instances/:id/chats/:chat_id',
      operationId: 'getChat',
      summary: 'Get a chat',
      description: 'A phone number is read as its chat (`<digits>@s.whatsapp.net`). 404 when the instance keeps no such chat.',
      tags,
      params: ChatStateParams,
      response: { status: 200, description: 'The chat.', schema: ChatJson },
      errors: [403, 404],
      handler: async ({ principal, params }) => toChatJson(await deps.getChat(principal, { instanceId: params.id, chatId: params.chat_id })),
    }),
    defineOutboxActionRoute({
      method: 'PATCH',
      url: '/v1/instances/:id/chats/:chat_id',
      operationId: 'updateChat',
      summary: 'Archive, pin, mute or mark a chat',
      description:
        'Only the fields given change. `muted_until` must lie in the future (`null` unmutes); `unread: true` marks the ' +
        'chat unread, `false` read (without blue ticks: use `POST …/chats/{chat_id}/read` for those). The stored chat ' +
        'changes when WhatsApp reports it back, as `chat.archived`, `chat.pinned` or `chat.updated`. 404 when the ' +
        'instance keeps no such chat.',
      tags,
      params: ChatStateParams,
      body: ChatStateBody,
      stage: ({ principal, params, body }, idempotencyKey) =>
        deps.updateChat(principal, { instanceId: params.id, chatId: params.chat_id, state: body, idempotencyKey }),
    }),
    defineOutboxActionRoute({
      method: 'DELETE',
      url: '/v1/instances/:id/chats/:chat_id',
      operationId: 'deleteChat',
      summary: 'Delete a chat',
      description: 'Removes the chat from the account’s chat list; the stored chat goes when WhatsApp reports the deletion. 404 when the instance keeps no such chat.',
      tags,
      params: ChatStateParams,
      stage: ({ principal, params }, idempotencyKey) =>
        deps.deleteChat(principal, { instanceId: params.id, chatId: params.chat_id, idempotencyKey }),
    }),
  ];
}
