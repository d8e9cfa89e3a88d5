import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxSession, SessionEvent } from '@whatisup/core';
import { until } from '@whatisup/test-infra';
import { createInMemorySandboxCredentialStore } from './sandbox-credential-store.js';
import { createSandboxSessionFactory } from './sandbox-session-factory.js';

const open: SandboxSession[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((session) => session.close()));
});

async function connected() {
  const factory = createSandboxSessionFactory({
    credentials: createInMemorySandboxCredentialStore(),
    timings: { autoScanMs: null, resumeDelayMs: 1, receiptDelayMs: 2 },
  });
  const events: SessionEvent[] = [];
  const session = factory.createSession({ instanceId: 'inst_chats', listener: (event) => events.push(event) });
  open.push(session);
  await session.connect();
  await session.scan();
  return { session, events };
}

const chatEvents = (events: SessionEvent[]) => events.filter((e) => e.type === 'chat_update' || e.type === 'chat_delete');

describe('sandbox chats', () => {
  it('reports each chat change back a moment later with exactly the fields changed, a read as unread count 0', async () => {
    const { session, events } = await connected();
    const chat = '4915112345678@s.whatsapp.net';
    await session.perform({ type: 'modify_chat', chat, archived: true, pinned: true });
    await session.perform({ type: 'modify_chat', chat, mutedUntil: '2030-01-01T00:00:00.000Z', ephemeralSeconds: 604_800 });
    await session.perform({ type: 'modify_chat', chat, unread: false });
    await session.perform({ type: 'modify_chat', chat, unread: true, mutedUntil: null });
    await until(() => chatEvents(events).length === 4);
    expect(chatEvents(events)).toEqual([
      { type: 'chat_update', update: { chatId: chat, archived: true, pinned: true } },
      { type: 'chat_update', update: { chatId: chat, mutedUntil: new Date('2030-01-01T00:00:00.000Z'), ephemeralSeconds: 604_800 } },
      { type: 'chat_update', update: { chatId: chat, markedUnread: false, unreadCount: 0 } },
      { type: 'chat_update', update: { chatId: chat, mutedUntil: null, markedUnread: true } },
    ]);
  });

  it('reports a deleted chat as deleted, and an inbound message as a message only', async () => {
    const { session, events } = await connected();
    await session.injectInbound({ from: '4915112345679', content: { type: 'text', text: 'hi' } });
    await session.perform({ type: 'delete_chat', chat: '4915112345679@s.whatsapp.net' });
    await until(() => chatEvents(events).length === 1);
    expect(chatEvents(events)).toEqual([{ type: 'chat_delete', chatId: '4915112345679@s.whatsapp.net' }]);
    expect(events.filter((e) => e.type === 'message')).toHaveLength(1);
  });
});
