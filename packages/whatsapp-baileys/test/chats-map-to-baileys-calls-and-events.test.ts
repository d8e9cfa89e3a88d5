/*
 * Chats against a fake socket shaped like Baileys 7: archive, pin, mute, read/unread and delete as
 * `chatModify` patches (archive, read and delete naming the chat's last message), disappearing messages as
 * `sendMessage` with `disappearingMessagesInChat`; and Baileys' chat events (history sync, sync actions from
 * the phone, our own patches echoed back, deletions) as the session's chat events.
 */
import type { SessionEvent, WhatsAppSession } from '@whatisup/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '@whatisup/test-infra';
import type { FakeBaileysSocket } from './fake-baileys-socket.js';
import { createHarness, makeDataDir } from './session-harness.js';
import { ephemeralUpdates, historySet, newMessageUpdate, syncActionUpdates } from './fixtures/chat-events.js';

let data: Awaited<ReturnType<typeof makeDataDir>>;
let harness: ReturnType<typeof createHarness>;
let session: WhatsAppSession;
let socket: FakeBaileysSocket;

beforeEach(async () => {
  data = await makeDataDir();
  harness = createHarness(data.dir);
  session = harness.open();
  await session.connect();
  await until(() => harness.fake.sockets.length === 1);
  socket = harness.fake.last();
  socket.open('4915112345678:3@s.whatsapp.net');
  await until(() => session.status === 'connected');
});
afterEach(async () => {
  await session.close();
  await data.cleanup();
});

const chatEvents = (from: number): SessionEvent[] => harness.events.slice(from).filter((e) => e.type === 'chat_update' || e.type === 'chat_delete');

describe('chat changes through Baileys', () => {
  it('archives, pins, mutes and marks a chat as one chatModify patch per field, naming its last message', async () => {
    const last = { key: { remoteJid: '4915100000001@s.whatsapp.net', fromMe: false, id: '3EB0LAST' }, messageTimestamp: 1_746_100_000, message: { conversation: 'hi' } };
    socket.emit('messages.upsert', { messages: [last], type: 'notify' });
    await session.perform({
      type: 'modify_chat',
      chat: '4915100000001',
      archived: true,
      pinned: true,
      mutedUntil: '2030-01-01T00:00:00.000Z',
      unread: true,
    });
    const lastMessages = [{ key: last.key, messageTimestamp: last.messageTimestamp }];
    expect(socket.chatModifications).toEqual([
      { mod: { archive: true, lastMessages }, jid: '4915100000001@s.whatsapp.net' },
      { mod: { pin: true }, jid: '4915100000001@s.whatsapp.net' },
      { mod: { mute: Date.parse('2030-01-01T00:00:00.000Z') }, jid: '4915100000001@s.whatsapp.net' },
      { mod: { markRead: false, lastMessages }, jid: '4915100000001@s.whatsapp.net' },
    ]);
  });

  it('unmutes with null, mutes "always" as -1, marks read, and deletes with an empty range for a chat it has no message of', async () => {
    await session.perform({ type: 'modify_chat', chat: '120363000000000000@g.us', mutedUntil: null, unread: false });
    await session.perform({ type: 'modify_chat', chat: '120363000000000000@g.us', mutedUntil: '9999-12-31T23:59:59.000Z' });
    await session.perform({ type: 'delete_chat', chat: '120363000000000000@g.us' });
    expect(socket.chatModifications.map((c) => c.mod)).toEqual([{ mute: null }, { markRead: true, lastMessages: [] }, { mute: -1 }, { delete: true, lastMessages: [] }]);
  });

  it('sets disappearing messages by sending disappearingMessagesInChat (seconds, or false for off)', async () => {
    await session.perform({ type: 'modify_chat', chat: '4915100000001', ephemeralSeconds: 86_400 });
    await session.perform({ type: 'modify_chat', chat: '4915100000001', ephemeralSeconds: 0 });
    expect(socket.sent.map((s) => [s.jid, s.content])).toEqual([
      ['4915100000001@s.whatsapp.net', { disappearingMessagesInChat: 86_400 }],
      ['4915100000001@s.whatsapp.net', { disappearingMessagesInChat: false }],
    ]);
  });

  it('reports its own patches back as Baileys echoes them', async () => {
    const before = harness.events.length;
    await session.perform({ type: 'modify_chat', chat: '4915100000001', archived: true, pinned: true });
    await session.perform({ type: 'delete_chat', chat: '4915100000001' });
    expect(chatEvents(before)).toEqual([
      { type: 'chat_update', update: { chatId: '4915100000001@s.whatsapp.net', archived: true } },
      { type: 'chat_update', update: { chatId: '4915100000001@s.whatsapp.net', pinned: true } },
      { type: 'chat_delete', chatId: '4915100000001@s.whatsapp.net' },
    ]);
  });
});

describe('Baileys chat events', () => {
  it('turns a history sync into chat updates with the phone’s own unread counts, times in seconds or Longs', () => {
    const before = harness.events.length;
    socket.emit('messaging-history.set', historySet());
    expect(chatEvents(before)).toEqual([
      {
        type: 'chat_update',
        update: {
          chatId: '4915100000001@s.whatsapp.net',
          name: 'Alice',
          archived: true,
          pinned: true,
          mutedUntil: new Date(1_893_456_000 * 1000),
          ephemeralSeconds: 604_800,
          lastActivityAt: new Date(1_746_100_000 * 1000),
          unreadCount: 2,
        },
      },
      {
        type: 'chat_update',
        update: {
          chatId: '120363000000000000@g.us',
          name: 'Team',
          archived: false,
          pinned: false,
          mutedUntil: new Date('9999-12-31T23:59:59.000Z'),
          lastActivityAt: new Date(1_746_000_500 * 1000),
          markedUnread: true,
        },
      },
      // Status broadcasts are passed on as Baileys names them; core keeps no chat for them.
      { type: 'chat_update', update: { chatId: 'status@broadcast', lastActivityAt: new Date(1_746_000_600 * 1000) } },
    ]);
  });

  it('turns the phone’s sync actions into chat updates: unread 0 is read, -1 marked unread, mutes in milliseconds', () => {
    const before = harness.events.length;
    socket.emit('chats.update', syncActionUpdates);
    const chatId = '4915100000002@s.whatsapp.net';
    expect(chatEvents(before).map((e) => (e.type === 'chat_update' ? e.update : e))).toEqual([
      { chatId, archived: true },
      { chatId, pinned: true },
      { chatId, mutedUntil: new Date(1_893_456_000_000) },
      { chatId, unreadCount: 0, markedUnread: false },
      { chatId, markedUnread: true },
      { chatId, pinned: false },
      { chatId, mutedUntil: null },
    ]);
  });

  it('takes a new message’s time but not its unread delta, and disappearing messages on and off', () => {
    const before = harness.events.length;
    socket.emit('chats.update', newMessageUpdate);
    socket.emit('chats.update', ephemeralUpdates);
    expect(chatEvents(before).map((e) => (e.type === 'chat_update' ? e.update : e))).toEqual([
      { chatId: '4915100000003@s.whatsapp.net', lastActivityAt: new Date(1_746_100_200 * 1000) },
      { chatId: '4915100000004@s.whatsapp.net', ephemeralSeconds: 86_400 },
      { chatId: '4915100000004@s.whatsapp.net', ephemeralSeconds: 0 },
    ]);
  });

  it('reports chats.upsert and chats.delete, and forgets a deleted chat’s last message', async () => {
    const before = harness.events.length;
    socket.emit('messages.upsert', {
      messages: [{ key: { remoteJid: '4915100000005@s.whatsapp.net', fromMe: true, id: '3EB0MINE' }, messageTimestamp: 1_746_100_500 }],
      type: 'append',
    });
    socket.emit('chats.upsert', [{ id: '4915100000005@s.whatsapp.net', name: 'Eve', conversationTimestamp: 1_746_100_500, unreadCount: 1 }]);
    socket.emit('chats.delete', ['4915100000005@s.whatsapp.net']);
    expect(chatEvents(before)).toEqual([
      { type: 'chat_update', update: { chatId: '4915100000005@s.whatsapp.net', name: 'Eve', lastActivityAt: new Date(1_746_100_500 * 1000) } },
      { type: 'chat_delete', chatId: '4915100000005@s.whatsapp.net' },
    ]);
    await session.perform({ type: 'modify_chat', chat: '4915100000005', archived: true });
    expect(socket.chatModifications.at(-1)?.mod).toEqual({ archive: true, lastMessages: [] });
  });
});
