/*
 * Presence and read receipts against a fake socket shaped like Baileys 7: `sendPresenceUpdate` with WhatsApp's
 * own state names (`composing` is typing), `presenceSubscribe`, `readMessages` with the full keys of the
 * inbound messages (participant included in groups), and `presence.update` events with `lastSeen` in seconds.
 */
import type { WhatsAppSession } from '@whatisup/core';
import type { WAMessage } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '@whatisup/test-infra';
import type { FakeBaileysSocket } from './fake-baileys-socket.js';
import { createHarness, makeDataDir } from './session-harness.js';

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

const inbound = (id: string, key: Partial<WAMessage['key']>): WAMessage => ({
  key: { remoteJid: '4915100000001@s.whatsapp.net', fromMe: false, id, ...key },
  messageTimestamp: 1_746_100_000,
  message: { conversation: 'hi' },
});

describe('presence through Baileys', () => {
  it('sends presence with WhatsApp state names, to a chat or to everyone', async () => {
    await session.perform({ type: 'presence', state: 'available', chat: null });
    await session.perform({ type: 'presence', state: 'typing', chat: '4915100000001@s.whatsapp.net' });
    await session.perform({ type: 'presence', state: 'recording', chat: '120363000000000000@g.us' });
    await session.perform({ type: 'subscribe_presence', chat: '4915100000001' });
    expect(socket.calls).toEqual([
      'sendPresenceUpdate:available:',
      'sendPresenceUpdate:composing:4915100000001@s.whatsapp.net',
      'sendPresenceUpdate:recording:120363000000000000@g.us',
      'presenceSubscribe:4915100000001@s.whatsapp.net',
    ]);
  });

  it('turns presence.update into presence events, one per participant', () => {
    const before = harness.events.length;
    socket.emit('presence.update', {
      id: '120363000000000000@g.us',
      presences: {
        '4915100000001@s.whatsapp.net': { lastKnownPresence: 'composing' },
        '123456789012345@lid': { lastKnownPresence: 'unavailable', lastSeen: 1_746_100_000 },
      },
    });
    expect(harness.events.slice(before)).toEqual([
      {
        type: 'presence',
        update: {
          chatId: '120363000000000000@g.us',
          participant: '4915100000001',
          author: { phoneNumber: '4915100000001', lid: null },
          state: 'typing',
          lastSeen: null,
        },
      },
      {
        type: 'presence',
        update: {
          chatId: '120363000000000000@g.us',
          participant: '123456789012345@lid',
          author: { phoneNumber: null, lid: '123456789012345@lid' },
          state: 'unavailable',
          lastSeen: new Date(1_746_100_000_000),
        },
      },
    ]);
  });
});

describe('read receipts through Baileys', () => {
  it("marks every unread message of a chat read with its own key, once, and a group message with its participant", async () => {
    socket.emit('messages.upsert', {
      type: 'notify',
      messages: [
        inbound('3A01', {}),
        inbound('3A02', { remoteJid: '123456789012345@lid', remoteJidAlt: '4915100000001@s.whatsapp.net' }),
        inbound('3A03', { remoteJid: '4915100000002@s.whatsapp.net' }),
        inbound('3A04', { remoteJid: '120363000000000000@g.us', participant: '123456789012345@lid' }),
      ],
    });
    await session.perform({ type: 'read', chat: '4915100000001', messageIds: null });
    expect(socket.readKeys.map((k) => [k.id, k.remoteJid])).toEqual([
      ['3A01', '4915100000001@s.whatsapp.net'],
      ['3A02', '123456789012345@lid'],
    ]);
    await session.perform({ type: 'read', chat: '4915100000001', messageIds: null });
    expect(socket.calls.filter((c) => c.startsWith('readMessages'))).toEqual(['readMessages:3A01,3A02']);
    await session.perform({ type: 'read', chat: '120363000000000000@g.us', messageIds: ['3A04', '3A99'] });
    expect(socket.readKeys.slice(2)).toEqual([
      { remoteJid: '120363000000000000@g.us', participant: '123456789012345@lid', fromMe: false, id: '3A04' },
      { remoteJid: '120363000000000000@g.us', fromMe: false, id: '3A99' },
    ]);
  });
});

describe('edits and revokes through Baileys', () => {
  it('sends an edit with the new text and the message key, and a revoke with a delete key', async () => {
    const target = { whatsappId: '3EB0AAAAAAAAAAAAAAAAAA', chatId: '4915100000001@s.whatsapp.net', fromMe: true };
    await session.perform({ type: 'edit', target, text: 'corrected' });
    await session.perform({ type: 'revoke', target });
    const key = { remoteJid: '4915100000001@s.whatsapp.net', fromMe: true, id: '3EB0AAAAAAAAAAAAAAAAAA' };
    expect(socket.sent.map((call) => [call.jid, call.content])).toEqual([
      ['4915100000001@s.whatsapp.net', { text: 'corrected', edit: key }],
      ['4915100000001@s.whatsapp.net', { delete: key }],
    ]);
  });
});

describe('forwards through Baileys', () => {
  it('marks a forwarded message with the context info WhatsApp shows as "Forwarded"', async () => {
    await session.send('4915100000001', { type: 'text', text: 'look' }, { forwarded: true });
    await session.send('4915100000001', { type: 'text', text: 'plain' });
    expect(socket.sent.map((call) => call.content)).toEqual([
      { text: 'look', linkPreview: null, contextInfo: { isForwarded: true, forwardingScore: 1 } },
      { text: 'plain', linkPreview: null },
    ]);
  });
});
