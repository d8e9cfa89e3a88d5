/*
 * The events a change of a kept chat records: `chat.archived` when it was archived or unarchived,
 * `chat.pinned` when pinned or unpinned, `chat.updated` naming whatever else changed (name, unread,
 * muted_until, ephemeral_seconds). Each change is reported once, by exactly one of them; last activity and
 * unread counts moved by messages are not events (`message.received` already says it).
 */
import type { DomainEvent } from '../events/index.js';
import type { Chat } from './chat-repository.js';
import { toChatJson } from './schemas/chat-state-schemas.js';

type Changed = 'name' | 'unread' | 'muted_until' | 'ephemeral_seconds';

const isUnread = (chat: Chat): boolean => chat.unreadCount > 0 || chat.markedUnread;

export function chatChangeEvents(before: Chat, after: Chat, occurredAt: Date): DomainEvent[] {
  const base = { customerId: after.customerId, instanceId: after.instanceId, occurredAt } as const;
  const chat = toChatJson(after);
  const events: DomainEvent[] = [];
  if (before.archived !== after.archived) events.push({ ...base, name: 'chat.archived', data: chat });
  if (before.pinned !== after.pinned) events.push({ ...base, name: 'chat.pinned', data: chat });
  const changed: Changed[] = [];
  if (before.name !== after.name) changed.push('name');
  if (isUnread(before) !== isUnread(after) || before.unreadCount !== after.unreadCount) changed.push('unread');
  if ((before.mutedUntil?.getTime() ?? null) !== (after.mutedUntil?.getTime() ?? null)) changed.push('muted_until');
  if (before.ephemeralSeconds !== after.ephemeralSeconds) changed.push('ephemeral_seconds');
  if (changed.length > 0) events.push({ ...base, name: 'chat.updated', data: { ...chat, changed } });
  return events;
}
