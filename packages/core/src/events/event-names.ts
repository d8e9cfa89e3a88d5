/** Every event WhatIsUp emits. Webhook endpoints subscribe to a subset, or `*`. */
export const EVENT_NAMES = [
  'qr.updated',
  'instance.connected',
  'instance.disconnected',
  'message.received',
  'message.sent',
  'message.delivered',
  'message.read',
  'message.failed',
  'message.edited',
  'message.revoked',
  'action.failed',
  'contact.resolved',
  'presence.updated',
  'webhook.test',
  'message.reaction',
  'message.played',
  'poll.vote',
  'call.offered',
  'call.terminated',
  'story.viewed',
  'group.created',
  'group.updated',
  'group.participant_added',
  'group.participant_removed',
  'group.admin_promoted',
  'group.admin_demoted',
  'group.join_requested',
  'chat.updated',
  'chat.archived',
  'chat.pinned',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export const API_VERSION = '2026-04';

export const isEventName = (value: string): value is EventName => (EVENT_NAMES as readonly string[]).includes(value);
