import type { ChatPayload, DomainEvent, EventName, EventPayloads } from '../events/index.js';
import { GROUP_EVENT_PAYLOADS } from './group-event-payload-fixtures.js';

const CHAT_FIXTURE: ChatPayload = {
  chat_id: '4915112345679@s.whatsapp.net',
  name: 'Alice',
  is_group: false,
  unread_count: 1,
  unread: true,
  archived: false,
  pinned: false,
  muted_until: null,
  ephemeral_seconds: 0,
  last_activity_at: '2026-05-01T12:00:00.000Z',
  updated_at: '2026-05-01T12:00:00.000Z',
};

const PAYLOADS: { readonly [N in EventName]: EventPayloads[N] } = {
  'qr.updated': { qr: '2@fixture-qr', png_data_url: 'data:image/png;base64,iVBORw0KGgo=' },
  'instance.connected': { phone_number: '4915112345678' },
  'instance.disconnected': { reason: null },
  'message.received': {
    message_id: '3EB0FIXTURE',
    from: '4915112345679',
    chat_id: '4915112345679@s.whatsapp.net',
    is_group: false,
    sender: null,
    push_name: 'Ada',
    received_at: '2026-05-01T12:00:00.000Z',
    body: { type: 'text', text: 'hello' },
    reply_to: null,
    author: { phone_number: '4915112345679', lid: null },
  },
  'message.sent': { message_id: 'msg_01JB0000000000000000000000', whatsapp_id: '3EB0SENT', client_ref: null, to: '4915112345679@s.whatsapp.net', status: 'sent' },
  'message.delivered': { message_id: 'msg_01JB0000000000000000000000', whatsapp_id: '3EB0SENT', client_ref: null, to: '4915112345679@s.whatsapp.net', status: 'delivered' },
  'message.read': { message_id: 'msg_01JB0000000000000000000000', whatsapp_id: '3EB0SENT', client_ref: null, to: '4915112345679@s.whatsapp.net', status: 'read' },
  'message.failed': {
    message_id: 'msg_01JB0000000000000000000000',
    whatsapp_id: null,
    client_ref: null,
    to: '4915112345679@s.whatsapp.net',
    status: 'failed',
    error: { code: 'send_failed', message: 'WhatsApp refused the message.' },
  },
  'message.edited': {
    message_id: 'msg_01JB0000000000000000000000',
    whatsapp_id: '3EB0SENT',
    chat_id: '4915112345679@s.whatsapp.net',
    from_me: true,
    text: 'hello, corrected',
    edited_at: '2026-05-01T12:00:00.000Z',
  },
  'message.revoked': {
    message_id: 'msg_01JB0000000000000000000000',
    whatsapp_id: '3EB0SENT',
    chat_id: '4915112345679@s.whatsapp.net',
    from_me: true,
    revoked_at: '2026-05-01T12:00:00.000Z',
  },
  'action.failed': {
    action_id: 'act_01JB0000000000000000000000',
    type: 'block',
    target: '4915112345679@s.whatsapp.net',
    error: { code: 'send_failed', message: 'WhatsApp refused the action.' },
  },
  'contact.resolved': { lid: '9765432115194@lid', phone_number: '4915112345679', jid: '4915112345679@s.whatsapp.net' },
  'presence.updated': {
    chat_id: '4915112345679@s.whatsapp.net',
    participant: '4915112345679',
    phone_number: '4915112345679',
    lid: '9765432115194@lid',
    state: 'typing',
    last_seen: null,
  },
  'webhook.test': { endpoint_id: 'whe_01JB0000000000000000000000', message: 'A test event sent from the WhatIsUp API.' },
  'message.reaction': {
    message_id: 'msg_01JB0000000000000000000000',
    whatsapp_id: '3EB0SENT',
    chat_id: '4915112345679@s.whatsapp.net',
    is_group: false,
    from_me: false,
    author: { phone_number: '4915112345679', lid: '9765432115194@lid' },
    reaction_id: '3EB0REACTION',
    emoji: '👍',
    target_from_me: true,
    reacted_at: '2026-05-01T12:00:00.000Z',
  },
  'message.played': {
    message_id: 'msg_01JB0000000000000000000000',
    whatsapp_id: '3EB0SENT',
    client_ref: null,
    to: '4915112345679@s.whatsapp.net',
    status: 'read',
  },
  'poll.vote': {
    message_id: 'msg_01JB0000000000000000000000',
    whatsapp_id: '3EB0POLL',
    chat_id: '4915112345679@s.whatsapp.net',
    is_group: false,
    from_me: false,
    voter: { phone_number: '4915112345679', lid: '9765432115194@lid' },
    selected_options: ['Tuesday'],
    voted_at: '2026-05-01T12:00:00.000Z',
  },
  'call.offered': {
    call_id: 'SBXCALL0123456789ABCDEF',
    from: '4915112345679',
    phone_number: '4915112345679',
    lid: '9765432115194@lid',
    is_video: false,
    is_group: false,
    group_id: null,
    offered_at: '2026-05-01T12:00:00.000Z',
  },
  'call.terminated': {
    call_id: 'SBXCALL0123456789ABCDEF',
    from: '4915112345679',
    phone_number: '4915112345679',
    lid: '9765432115194@lid',
    is_video: false,
    is_group: false,
    group_id: null,
    offered_at: '2026-05-01T12:00:00.000Z',
    reason: 'rejected',
    rejected_by: 'settings',
    terminated_at: '2026-05-01T12:00:01.000Z',
  },
  'story.viewed': {
    message_id: 'msg_01JB0000000000000000000000',
    whatsapp_id: '3EB0SENT',
    viewer: '4915112345679',
    phone_number: '4915112345679',
    lid: '9765432115194@lid',
    kind: 'read',
    viewed_at: '2026-05-01T12:00:00.000Z',
  },
  ...GROUP_EVENT_PAYLOADS,
  'chat.updated': { ...CHAT_FIXTURE, changed: ['muted_until'] },
  'chat.archived': { ...CHAT_FIXTURE, archived: true },
  'chat.pinned': { ...CHAT_FIXTURE, pinned: true },
};

/** A payload of the right shape for event `name`, for tests that record events without a use case. */
export const anEventPayload = <N extends EventName>(name: N): EventPayloads[N] => PAYLOADS[name];

/**
 * A domain event named `name` with a payload of its shape. TypeScript cannot pair a name and its payload
 * through a union-typed `name`, hence the one assertion here rather than in every test.
 */
export const aDomainEvent = (name: EventName, fields: { customerId: string; instanceId: string | null }): DomainEvent =>
  ({ ...fields, name, data: anEventPayload(name) }) as DomainEvent;
