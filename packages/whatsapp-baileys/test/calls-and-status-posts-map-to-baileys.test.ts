/*
 * Calls and status posts against a fake socket shaped like Baileys 7 (rc14): `call` events as
 * messages-recv.js builds them from a `<call>` node (`offer` with `isVideo`/`isGroup`/`groupJid`, later
 * statuses carrying the offer's fields from Baileys' offer cache, `from` a LID with `callerPn`), `rejectCall`
 * with the call id and the caller's JID, `sendMessage` to `status@broadcast` with `statusJidList`, and the
 * viewers' receipts of a status post as `message-receipt.update` (`userJid`, `readTimestamp` in seconds).
 */
import type { WhatsAppSession } from '@whatisup/core';
import type { WACallEvent } from '@whiskeysockets/baileys';
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

/** A voice call offer from a LID caller, as handleCall emits it (`chatId` is the node's `from`). */
const offer: WACallEvent = {
  chatId: '123456789012345@lid',
  from: '123456789012345@lid',
  callerPn: '4915100000001@s.whatsapp.net',
  id: '8C9B2E6A4F1D3B5C7E9A0B1C2D3E4F50',
  date: new Date(1_746_100_000 * 1000),
  offline: false,
  status: 'offer',
  isVideo: false,
  isGroup: false,
  groupJid: undefined,
};

describe('calls through Baileys', () => {
  it('maps an offer and its end to call events, and skips the set-up steps', () => {
    const before = harness.events.length;
    socket.emit('call', [offer]);
    socket.emit('call', [{ ...offer, status: 'ringing' }]);
    socket.emit('call', [{ ...offer, status: 'relaylatency', latencyMs: 42 }]);
    socket.emit('call', [{ ...offer, status: 'timeout', date: new Date(1_746_100_030 * 1000) }]);
    expect(harness.events.slice(before)).toEqual([
      {
        type: 'call',
        call: {
          callId: offer.id,
          from: '123456789012345@lid',
          author: { phoneNumber: '4915100000001', lid: '123456789012345@lid' },
          groupId: null,
          isVideo: false,
          isGroup: false,
          status: 'offer',
          at: new Date(1_746_100_000 * 1000),
        },
      },
      {
        type: 'call',
        call: expect.objectContaining({ callId: offer.id, status: 'timeout', at: new Date(1_746_100_030 * 1000) }),
      },
    ]);
  });

  it('maps a group video call from a phone JID, and reject / accept / terminate to their statuses', () => {
    const before = harness.events.length;
    const group: WACallEvent = {
      ...offer,
      id: 'A1B2C3D4E5F60718293A4B5C6D7E8F90',
      chatId: '4915100000002@s.whatsapp.net',
      from: '4915100000002@s.whatsapp.net',
      callerPn: undefined,
      isVideo: true,
      isGroup: true,
      groupJid: '120363000000000000@g.us',
    };
    socket.emit('call', [group]);
    for (const status of ['reject', 'accept', 'terminate'] as const) socket.emit('call', [{ ...group, status }]);
    const calls = harness.events.slice(before).map((e) => (e.type === 'call' ? e.call : null));
    expect(calls[0]).toMatchObject({ author: { phoneNumber: '4915100000002', lid: null }, isVideo: true, isGroup: true, groupId: '120363000000000000@g.us' });
    expect(calls.map((c) => c?.status)).toEqual(['offer', 'rejected', 'accepted', 'ended']);
  });

  it('rejects a call with Baileys’ rejectCall(call id, caller JID)', async () => {
    await session.perform({ type: 'reject_call', callId: offer.id, from: offer.from });
    expect(socket.calls).toEqual([`rejectCall:${offer.id}:123456789012345@lid`]);
  });
});

describe('status posts through Baileys', () => {
  it('sends to status@broadcast with the audience as statusJidList, the background and the font', async () => {
    const { whatsappId } = await session.send(
      'status@broadcast',
      { type: 'text', text: 'Open today' },
      { statusPost: { audience: ['4915100000001', '123456789012345@lid'], backgroundColor: '#FF0000', font: 2 } },
    );
    expect(socket.sent[0]).toMatchObject({
      jid: 'status@broadcast',
      content: { text: 'Open today' },
      options: { statusJidList: ['4915100000001@s.whatsapp.net', '123456789012345@lid'], broadcast: true, backgroundColor: '#FF0000', font: 2 },
    });
    expect(whatsappId).toMatch(/^3EB0/);
  });

  it('turns viewers’ read and played receipts of a status post into story views, not message receipts', () => {
    const before = harness.events.length;
    const key = { remoteJid: 'status@broadcast', fromMe: true, id: '3EB0STATUS1', participant: undefined };
    socket.emit('message-receipt.update', [
      { key, receipt: { userJid: '4915100000001@s.whatsapp.net', receiptTimestamp: 1_746_100_010 } },
      { key, receipt: { userJid: '4915100000001@s.whatsapp.net', readTimestamp: 1_746_100_020 } },
      { key, receipt: { userJid: '123456789012345@lid', playedTimestamp: 1_746_100_030 } },
    ]);
    expect(harness.events.slice(before)).toEqual([
      {
        type: 'story_view',
        view: { whatsappId: '3EB0STATUS1', viewer: '4915100000001', author: { phoneNumber: '4915100000001', lid: null }, kind: 'read', at: new Date(1_746_100_020_000) },
      },
      {
        type: 'story_view',
        view: { whatsappId: '3EB0STATUS1', viewer: '123456789012345@lid', author: { phoneNumber: null, lid: '123456789012345@lid' }, kind: 'played', at: new Date(1_746_100_030_000) },
      },
    ]);
  });
});
