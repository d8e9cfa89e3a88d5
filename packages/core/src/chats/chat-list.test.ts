import { describe, expect, it } from 'vitest';
import { createChatUseCases } from './create-chat-use-cases.js';
import { createChatChangeHandler } from './handle-chat-change.js';
import { createChatActivity } from './track-chat-activity.js';
import { codeOf } from '../testing/use-case-harness.js';
import { createMessageHarness } from '../testing/message-test-harness.js';
import { aPrincipal } from '../testing/fixtures.js';
import { createSandboxDirectory, toSandboxInboundMessage, type ChatChange, type SessionEvent } from '../sessions/index.js';

function setup() {
  const h = createMessageHarness();
  const chats = createChatUseCases({ stageOutboxAction: h.stageOutboxAction, uow: h.uow, clock: h.clock });
  const onChat = createChatChangeHandler({ uow: h.uow, events: h.events, clock: h.clock });
  const activity = createChatActivity({ uow: h.uow });
  const sandbox = createSandboxDirectory({ isConnected: () => true });
  /** Drains the outbox and feeds what the sandbox's phone reports back to the chat handler, as a session would. */
  async function performAndReport(instance: { id: string; customerId: string }) {
    const before = h.performed.length;
    await h.drainAll(instance.id);
    for (const { action } of h.performed.slice(before)) {
      for (const event of sandbox.apply(action)) await onChat(instance, toChange(event));
    }
  }
  return { h, chats, onChat, activity, performAndReport };
}

function toChange(event: SessionEvent): ChatChange {
  if (event.type === 'chat_update') return { type: 'update', update: event.update };
  if (event.type === 'chat_delete') return { type: 'delete', chatId: event.chatId };
  throw new Error(`not a chat event: ${event.type}`);
}

const inbound = (from: string, at: Date, pushName = 'Alice') =>
  toSandboxInboundMessage({ from, content: { type: 'text', text: 'hi' }, pushName }, at);

describe('the chat list', () => {
  it('opens a chat on an inbound message with one unread, and moves its activity on a send', async () => {
    const { h, chats, activity } = setup();
    const { principal, instance } = await h.tenant();
    await activity.onInbound(instance, inbound('4915112345678', h.clock.now()));
    const [chat] = (await chats.listChats(principal, { instanceId: instance.id })).data;
    expect(chat).toMatchObject({ chatId: '4915112345678@s.whatsapp.net', name: 'Alice', unreadCount: 1 });
    h.clock.advance(1_000);
    await activity.onOutbound(instance, '4915112345678@s.whatsapp.net', h.clock.now());
    const after = await chats.getChat(principal, { instanceId: instance.id, chatId: '4915112345678' });
    expect(after.unreadCount).toBe(1);
    expect(after.lastActivityAt).toEqual(h.clock.now());
    expect(h.eventLog()).toEqual([]);
  });

  it('archives and pins through the outbox, recording chat.archived then chat.pinned once each', async () => {
    const { h, chats, activity, performAndReport } = setup();
    const { principal, instance } = await h.tenant();
    await activity.onInbound(instance, inbound('4915112345678', h.clock.now()));
    const archived = await chats.updateChat(principal, { instanceId: instance.id, chatId: '4915112345678', state: { archived: true } });
    expect(archived.action.id).toMatch(/^act_/);
    await chats.updateChat(principal, { instanceId: instance.id, chatId: '4915112345678@s.whatsapp.net', state: { pinned: true } });
    await performAndReport(instance);
    expect(h.performed.map((p) => p.action)).toEqual([
      { type: 'modify_chat', chat: '4915112345678@s.whatsapp.net', archived: true },
      { type: 'modify_chat', chat: '4915112345678@s.whatsapp.net', pinned: true },
    ]);
    expect(h.eventLog().map((e) => [e.event, (e.data as { archived: boolean }).archived, (e.data as { pinned: boolean }).pinned])).toEqual([
      ['chat.archived', true, false],
      ['chat.pinned', true, true],
    ]);
    // The phone reporting the same state again changes nothing and records nothing.
    await chats.updateChat(principal, { instanceId: instance.id, chatId: '4915112345678', state: { archived: true } });
    await performAndReport(instance);
    expect(h.eventLog()).toHaveLength(2);
    expect((await chats.listChats(principal, { instanceId: instance.id, archived: true })).data.map((c) => c.chatId)).toEqual(['4915112345678@s.whatsapp.net']);
    expect((await chats.listChats(principal, { instanceId: instance.id, archived: false })).data).toEqual([]);
  });

  it('mutes, marks unread and read, and sets disappearing messages as chat.updated naming what changed', async () => {
    const { h, chats, activity, performAndReport } = setup();
    const { principal, instance } = await h.tenant();
    await activity.onInbound(instance, inbound('4915112345678', h.clock.now()));
    const until = new Date(h.clock.now().getTime() + 3_600_000);
    const input = { instanceId: instance.id, chatId: '4915112345678' };
    await chats.updateChat(principal, { ...input, state: { muted_until: until.toISOString(), ephemeral_seconds: 86_400 } });
    await chats.updateChat(principal, { ...input, state: { unread: false } });
    await chats.updateChat(principal, { ...input, state: { unread: true } });
    await performAndReport(instance);
    const updated = h.eventLog().map((e) => (e.data as { changed: string[] }).changed);
    expect(h.eventLog().every((e) => e.event === 'chat.updated')).toBe(true);
    expect(updated).toEqual([['muted_until', 'ephemeral_seconds'], ['unread'], ['unread']]);
    const chat = await chats.getChat(principal, input);
    expect(chat).toMatchObject({ unreadCount: 0, markedUnread: true, ephemeralSeconds: 86_400, mutedUntil: until });
    expect((await chats.listChats(principal, { instanceId: instance.id, unread: true })).data).toHaveLength(1);
  });

  it('deletes through the outbox; the chat goes when the phone reports it', async () => {
    const { h, chats, activity, performAndReport } = setup();
    const { principal, instance } = await h.tenant();
    await activity.onInbound(instance, inbound('4915112345678', h.clock.now()));
    const input = { instanceId: instance.id, chatId: '4915112345678' };
    await chats.deleteChat(principal, input);
    expect(await chats.getChat(principal, input)).toBeDefined();
    await performAndReport(instance);
    expect(h.performed.map((p) => p.action)).toEqual([{ type: 'delete_chat', chat: '4915112345678@s.whatsapp.net' }]);
    expect(await codeOf(chats.getChat(principal, input))).toBe('not_found');
  });

  it('keeps a chat learnt from the chat list sync without an event', async () => {
    const { h, chats, onChat } = setup();
    const { principal, instance } = await h.tenant();
    await onChat(instance, { type: 'update', update: { chatId: '4915112345679@s.whatsapp.net', archived: true, pinned: true, name: 'Bob', unreadCount: 3 } });
    expect(h.eventLog()).toEqual([]);
    expect(await chats.getChat(principal, { instanceId: instance.id, chatId: '4915112345679' })).toMatchObject({ archived: true, pinned: true, name: 'Bob', unreadCount: 3 });
  });

  it('refuses an unknown chat, a bad chat id, a mute in the past, an empty change, and another customer', async () => {
    const { h, chats, activity } = setup();
    const { principal, instance } = await h.tenant();
    const other = await h.tenant();
    await activity.onInbound(instance, inbound('4915112345678', h.clock.now()));
    const input = { instanceId: instance.id, chatId: '4915112345678' };
    expect(await codeOf(chats.getChat(principal, { ...input, chatId: '4915199999999' }))).toBe('not_found');
    expect(await codeOf(chats.updateChat(principal, { ...input, chatId: '4915199999999', state: { pinned: true } }))).toBe('not_found');
    expect(await codeOf(chats.deleteChat(principal, { ...input, chatId: '4915199999999' }))).toBe('not_found');
    expect(await codeOf(chats.getChat(principal, { ...input, chatId: '+49 151' }))).toBe('invalid_input');
    const past = new Date(h.clock.now().getTime() - 1_000).toISOString();
    expect(await codeOf(chats.updateChat(principal, { ...input, state: { muted_until: past } }))).toBe('invalid_input');
    expect(await codeOf(chats.updateChat(principal, { ...input, state: {} }))).toBe('invalid_input');
    expect(await codeOf(chats.updateChat(principal, { ...input, state: { ephemeral_seconds: 5 } }))).toBe('invalid_input');
    expect(await codeOf(chats.getChat(other.principal, input))).toBe('not_found');
    expect(await codeOf(chats.listChats(other.principal, { instanceId: instance.id }))).toBe('not_found');
    const bound = aPrincipal(principal.customerId, { instanceId: other.instance.id });
    expect(await codeOf(chats.getChat(bound, input))).toBe('forbidden');
    expect(await codeOf(chats.listChats(principal, { instanceId: instance.id, cursor: 'nope' }))).toBe('invalid_input');
    expect(h.queue.held.size).toBe(0);
  });
});
