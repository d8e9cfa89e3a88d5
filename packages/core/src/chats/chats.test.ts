import { describe, expect, it } from 'vitest';
import { createChatUseCases } from './create-chat-use-cases.js';
import { createPresenceHandler } from './handle-presence.js';
import { codeOf } from '../testing/use-case-harness.js';
import { createMessageHarness } from '../testing/message-test-harness.js';

function setup() {
  const h = createMessageHarness();
  return { h, chats: createChatUseCases({ stageOutboxAction: h.stageOutboxAction, uow: h.uow, clock: h.clock }) };
}

describe('presence and read receipts', () => {
  it('stage presence, subscriptions and reads as outbox actions, performed in order with the sends', async () => {
    const { h, chats } = setup();
    const { principal, instance } = await h.tenant();
    const id = { instanceId: instance.id };
    await chats.setPresence(principal, { ...id, state: 'available' });
    await h.sendMessage(principal, { ...id, to: '4915112345678', body: { type: 'text', text: 'hi' } });
    await chats.subscribePresence(principal, { ...id, chatId: '8765432115194@lid' });
    await chats.markChatRead(principal, { ...id, chatId: '4915112345678' });
    await chats.markChatRead(principal, { ...id, chatId: '120363000000000000@g.us', messageIds: ['3EB0A'] });
    await h.drainAll(instance.id);
    expect(h.outboxLog).toEqual(['perform:presence', 'send:4915112345678@s.whatsapp.net', 'perform:subscribe_presence', 'perform:read', 'perform:read']);
    expect(h.performed.map((p) => p.action)).toEqual([
      { type: 'presence', state: 'available', chat: null },
      { type: 'subscribe_presence', chat: '8765432115194@lid' },
      { type: 'read', chat: '4915112345678@s.whatsapp.net', messageIds: null },
      { type: 'read', chat: '120363000000000000@g.us', messageIds: ['3EB0A'] },
    ]);
  });

  it('refuse a state that does not exist, typing without a chat, and a malformed chat, staging nothing', async () => {
    const { h, chats } = setup();
    const { principal, instance } = await h.tenant();
    const id = { instanceId: instance.id };
    expect(await codeOf(chats.setPresence(principal, { ...id, state: 'dancing' }))).toBe('invalid_input');
    expect(await codeOf(chats.setPresence(principal, { ...id, state: 'typing' }))).toBe('invalid_input');
    expect(await codeOf(chats.markChatRead(principal, { ...id, chatId: '+49 151' }))).toBe('invalid_input');
    expect(await codeOf(chats.markChatRead(principal, { ...id, chatId: '4915112345678', messageIds: [] }))).toBe('invalid_input');
    expect(h.queue.held.size).toBe(0);
  });

  it('show typing for typing_ms before the message, without holding the outbox in a sleep', async () => {
    const { h } = setup();
    const { principal, instance } = await h.tenant();
    const sent = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: 'hi' }, typingMs: 3_000 });
    expect(await h.drainOutbox(instance.id)).toEqual({ deferMs: 3_000 });
    expect(h.outboxLog).toEqual(['perform:presence']);
    expect(h.performed[0]?.action).toEqual({ type: 'presence', state: 'typing', chat: '4915112345678@s.whatsapp.net' });
    h.clock.advance(3_000);
    await h.drainAll(instance.id);
    expect(h.outboxLog).toEqual(['perform:presence', 'send:4915112345678@s.whatsapp.net']);
    expect((await h.getMessage(principal, { id: sent.message.id })).message.status).toBe('sent');
    expect(await codeOf(h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: 'x' }, typingMs: 60_000 }))).toBe('invalid_input');
  });

  it('record presence.updated with both addresses of the participant', async () => {
    const { h } = setup();
    const { instance } = await h.tenant();
    const handle = createPresenceHandler({ uow: h.uow, events: h.events, clock: h.clock });
    await handle(instance, {
      chatId: '4915112345679@s.whatsapp.net',
      participant: '4915112345679',
      author: { phoneNumber: '4915112345679', lid: '9765432115194@lid' },
      state: 'typing',
      lastSeen: new Date('2026-05-01T12:00:00Z'),
    });
    expect(h.eventLog()).toEqual([
      {
        event: 'presence.updated',
        data: {
          chat_id: '4915112345679@s.whatsapp.net',
          participant: '4915112345679',
          phone_number: '4915112345679',
          lid: '9765432115194@lid',
          state: 'typing',
          last_seen: '2026-05-01T12:00:00.000Z',
        },
      },
    ]);
  });
});
