/*
 * The client's types are the server's schemas seen from the wire; these checks run in the type checker
 * (`pnpm typecheck`) and fail the build when a derived type degrades (to `any`, say) or drifts from core.
 */
import type { INSTANCE_KINDS, INSTANCE_STATUSES, MESSAGE_STATUSES } from '@whatisup/core';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  Chat,
  UpdateChatParams,
  CreateInstanceParams,
  CreateWebhookEndpointParams,
  Instance,
  MessageBody,
  MarkChatReadParams,
  MessageFilters,
  Page,
  PresenceState,
  SendMessageParams,
  WebhookDeliveryFilters,
  WebhookEvent,
} from './api-types.js';
import type { WhatIsUpErrorCode } from './errors/whatisup-error.js';
import type { Paginated } from './pagination/paginated.js';
import type { WhatIsUpClient } from './whatisup-client.js';

describe('types derived from the schemas', () => {
  it('give responses their fields and closed unions', () => {
    expectTypeOf<Instance>().not.toBeAny();
    expectTypeOf<Instance['status']>().toEqualTypeOf<(typeof INSTANCE_STATUSES)[number]>();
    expectTypeOf<Instance['kind']>().toEqualTypeOf<(typeof INSTANCE_KINDS)[number]>();
    expectTypeOf<Instance['deleted_at']>().toEqualTypeOf<string | null>();
    expectTypeOf<NonNullable<MessageFilters['status']>>().toEqualTypeOf<(typeof MESSAGE_STATUSES)[number]>();
  });

  it('make request fields optional where the schema has a default, and refuse what it does not take', () => {
    expectTypeOf<{ name: string }>().toExtend<CreateInstanceParams>();
    expectTypeOf<{ name: string; kind: 'sandbox' }>().toExtend<CreateInstanceParams>();
    expectTypeOf<{ name: string; kind: 'phone' }>().not.toExtend<CreateInstanceParams>();
    expectTypeOf<{ type: 'text'; text: string }>().toExtend<MessageBody>();
    expectTypeOf<{ to: string; body: { type: 'text'; text: string } }>().toExtend<SendMessageParams>();
    expectTypeOf<{ url: string; events: string[] }>().toExtend<CreateWebhookEndpointParams>();
    expectTypeOf<WebhookDeliveryFilters>().toHaveProperty('endpoint_id');
    expectTypeOf<{ type: 'poll'; question: string; options: string[] }>().toExtend<MessageBody>();
    expectTypeOf<{ type: 'image'; media_url: string; view_once: true }>().toExtend<MessageBody>();
    expectTypeOf<{ to: string; body: { type: 'text'; text: string }; typing_ms: number }>().toExtend<SendMessageParams>();
    expectTypeOf<'typing'>().toExtend<PresenceState>();
    expectTypeOf<'sleeping'>().not.toExtend<PresenceState>();
    expectTypeOf<{}>().toExtend<MarkChatReadParams>();
  });

  it('type the chat list and its changes', () => {
    expectTypeOf<Chat>().not.toBeAny();
    expectTypeOf<Chat['muted_until']>().toEqualTypeOf<string | null>();
    expectTypeOf<{ archived: true }>().toExtend<UpdateChatParams>();
    expectTypeOf<{ muted_until: null }>().toExtend<UpdateChatParams>();
    expectTypeOf<{ ephemeral_seconds: 86400 }>().toExtend<UpdateChatParams>();
    expectTypeOf<{ ephemeral_seconds: 42 }>().not.toExtend<UpdateChatParams>();
    expectTypeOf<ReturnType<WhatIsUpClient['chats']['list']>>().toEqualTypeOf<Paginated<Chat>>();
    type Archived = Extract<WebhookEvent, { event: 'chat.archived' }>;
    expectTypeOf<Archived['data']['archived']>().toEqualTypeOf<boolean>();
  });

  it('type an event’s data by its name', () => {
    type Connected = Extract<WebhookEvent, { event: 'instance.connected' }>;
    expectTypeOf<Connected['data']['phone_number']>().toEqualTypeOf<string | null>();
  });

  it('keep the known error codes and the client’s own, and lists iterable and paged', () => {
    expectTypeOf<'not_found'>().toExtend<WhatIsUpErrorCode>();
    expectTypeOf<'connection_error'>().toExtend<WhatIsUpErrorCode>();
    expectTypeOf<ReturnType<WhatIsUpClient['messages']['list']>>().toExtend<AsyncIterable<unknown>>();
    expectTypeOf<ReturnType<WhatIsUpClient['instances']['list']>>().toEqualTypeOf<Paginated<Instance>>();
    expectTypeOf<Awaited<ReturnType<WhatIsUpClient['instances']['listPage']>>>().toEqualTypeOf<Page<Instance>>();
    expectTypeOf<Awaited<ReturnType<WhatIsUpClient['messages']['edit']>>['action_id']>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<WhatIsUpClient['contacts']['check']>>['data'][number]['lid']>().toEqualTypeOf<string | null>();
  });
});
