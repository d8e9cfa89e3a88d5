import type { InboundMessage, SessionEvent } from '@whatisup/core';
import type { WAMessage } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '@whatisup/test-infra';
import { createHarness, makeDataDir } from './session-harness.js';

let data: Awaited<ReturnType<typeof makeDataDir>>;
let harness: ReturnType<typeof createHarness>;
let close: () => Promise<void>;
beforeEach(async () => {
  data = await makeDataDir();
  harness = createHarness(data.dir);
  const session = harness.open();
  await session.connect();
  await until(() => harness.fake.sockets.length === 1);
  harness.fake.last().open('4915112345678:3@s.whatsapp.net');
  await until(() => session.status === 'connected');
  close = () => session.close();
});
afterEach(async () => {
  await close();
  await data.cleanup();
});

const TS = 1_746_100_000;
const direct = (message: WAMessage['message'], extra: Partial<WAMessage> = {}): WAMessage => ({
  key: { remoteJid: '4915100000001@s.whatsapp.net', fromMe: false, id: '3A0000000000000001' },
  messageTimestamp: TS,
  pushName: 'Ann',
  message,
  ...extra,
});

function upsert(messages: WAMessage[], type: 'notify' | 'append' = 'notify'): SessionEvent[] {
  const before = harness.events.length;
  harness.fake.last().emit('messages.upsert', { messages, type });
  return harness.events.slice(before);
}
const receivedBody = (message: WAMessage['message']) => {
  const [event] = upsert([direct(message)]);
  return (event as { message: InboundMessage }).message.body;
};

describe('inbound messages from Baileys', () => {
  it('maps a plain text message with its sender, chat and time', () => {
    expect(upsert([direct({ conversation: 'hello' })])).toEqual([
      {
        type: 'message',
        message: {
          messageId: '3A0000000000000001',
          from: '4915100000001',
          chatId: '4915100000001@s.whatsapp.net',
          isGroup: false,
          sender: null,
          pushName: 'Ann',
          receivedAt: new Date(TS * 1000),
          fromMe: false,
          body: { type: 'text', text: 'hello' },
          replyTo: null,
          author: { phoneNumber: '4915100000001', lid: null },
        },
      },
    ]);
  });

  it('maps an extended text that quotes a message into a reply_to context', () => {
    const [event] = upsert([
      direct({
        extendedTextMessage: {
          text: 'yes',
          contextInfo: { stanzaId: 'QUOTED1', participant: '4915112345678@s.whatsapp.net', quotedMessage: { conversation: 'are you there?' } },
        },
      }),
    ]);
    const message = (event as { message: InboundMessage }).message;
    expect(message.body).toEqual({ type: 'text', text: 'yes' });
    expect(message.replyTo).toEqual({
      whatsappId: 'QUOTED1',
      chatId: '4915100000001@s.whatsapp.net',
      fromMe: true,
      participant: '4915112345678',
      text: 'are you there?',
    });
  });

  it('maps media kinds to bodies with mime type, size, filename and a download handle', () => {
    const image = receivedBody({ imageMessage: { mimetype: 'image/jpeg', fileLength: 2048, caption: 'look' } });
    expect(image).toMatchObject({ type: 'image', caption: 'look', media: { mimeType: 'image/jpeg', size: 2048, filename: null } });
    expect(typeof (image as { media: { download: unknown } }).media.download).toBe('function');
    expect(receivedBody({ videoMessage: { mimetype: 'video/mp4', fileLength: 10 } })).toMatchObject({ type: 'video', caption: null, media: { mimeType: 'video/mp4', size: 10 } });
    expect(receivedBody({ audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true } })).toMatchObject({ type: 'audio', ptt: true, media: { size: null } });
    expect(receivedBody({ audioMessage: { mimetype: 'audio/mpeg' } })).toMatchObject({ type: 'audio', ptt: false });
    expect(receivedBody({ documentMessage: { mimetype: 'application/pdf', fileName: 'a.pdf', fileLength: 99 } })).toMatchObject({
      type: 'document',
      media: { mimeType: 'application/pdf', filename: 'a.pdf', size: 99 },
    });
    expect(receivedBody({ documentWithCaptionMessage: { message: { documentMessage: { mimetype: 'text/plain', fileName: 'b.txt', caption: 'see' } } } })).toMatchObject({
      type: 'document',
      caption: 'see',
      media: { filename: 'b.txt' },
    });
    expect(receivedBody({ stickerMessage: { mimetype: 'image/webp' } })).toMatchObject({ type: 'sticker', media: { mimeType: 'image/webp' } });
  });

  it('maps location and contact', () => {
    expect(receivedBody({ locationMessage: { degreesLatitude: 52.5, degreesLongitude: 13.4, name: 'Berlin', address: 'Mitte' } })).toEqual({
      type: 'location', latitude: 52.5, longitude: 13.4, name: 'Berlin', address: 'Mitte',
    });
    expect(receivedBody({ contactMessage: { displayName: 'Bob', vcard: 'BEGIN:VCARD' } })).toEqual({ type: 'contact', displayName: 'Bob', vcard: 'BEGIN:VCARD' });
  });

  it('unwraps ephemeral and view-once envelopes', () => {
    expect(receivedBody({ ephemeralMessage: { message: { conversation: 'gone soon' } } })).toEqual({ type: 'text', text: 'gone soon' });
    expect(receivedBody({ viewOnceMessageV2: { message: { imageMessage: { mimetype: 'image/jpeg' } } } })).toMatchObject({ type: 'image' });
  });

  it('reports an unmapped kind as unsupported rather than dropping it', () => {
    expect(receivedBody({ pollCreationMessage: { name: 'Lunch?' } })).toEqual({ type: 'unsupported', kind: 'pollCreationMessage' });
  });

  it('in a group, reports the group as chat and the participant as sender, preferring the phone over the LID', () => {
    const [event] = upsert([
      {
        key: { remoteJid: '120363000000000001@g.us', fromMe: false, id: 'G1', participant: '123456789012345@lid', participantAlt: '4915100000002@s.whatsapp.net' },
        messageTimestamp: TS,
        message: { conversation: 'hi all' },
      },
    ]);
    expect((event as { message: InboundMessage }).message).toMatchObject({
      chatId: '120363000000000001@g.us', isGroup: true, sender: '4915100000002', from: '4915100000002', pushName: null,
    });
  });

  it('reports the LID when WhatsApp does not reveal the phone number', () => {
    const [event] = upsert([{ key: { remoteJid: '123456789012345@lid', fromMe: false, id: 'L1' }, messageTimestamp: TS, message: { conversation: 'x' } }]);
    expect((event as { message: InboundMessage }).message).toMatchObject({ from: '123456789012345@lid', chatId: '123456789012345@lid' });
    const [withAlt] = upsert([{ key: { remoteJid: '123456789012345@lid', remoteJidAlt: '4915100000003@s.whatsapp.net', fromMe: false, id: 'L2' }, messageTimestamp: TS, message: { conversation: 'x' } }]);
    expect((withAlt as { message: InboundMessage }).message).toMatchObject({ from: '4915100000003', chatId: '4915100000003@s.whatsapp.net' });
  });

  it('turns messages sent from the phone into own_message, with our number as from', () => {
    const [event] = upsert([direct({ conversation: 'sent from phone' }, { key: { remoteJid: '4915100000001@s.whatsapp.net', fromMe: true, id: 'OWN1' } })]);
    expect(event).toMatchObject({ type: 'own_message', message: { fromMe: true, from: '4915112345678', messageId: 'OWN1' } });
  });

  it('ignores status broadcasts, protocol messages, stubs, key distribution, newsletters and append upserts', () => {
    expect(
      upsert([
        { key: { remoteJid: 'status@broadcast', fromMe: false, id: 'S1', participant: '4915100000001@s.whatsapp.net' }, message: { conversation: 'story' } },
        direct({ protocolMessage: { type: 3, ephemeralExpiration: 86_400 } }),
        direct({ protocolMessage: { type: 5, historySyncNotification: {} } }),
        direct({ senderKeyDistributionMessage: { groupId: 'g' } }),
        direct(null, { messageStubType: 27 }),
        { key: { remoteJid: '120363000000000009@newsletter', fromMe: false, id: 'N1' }, message: { conversation: 'news' } },
      ]),
    ).toEqual([]);
    expect(upsert([direct({ conversation: 'old' })], 'append')).toEqual([]);
  });
});

describe('receipts from Baileys', () => {
  it('maps messages.update status codes of our messages to sent, delivered, read and played', () => {
    const before = harness.events.length;
    const key = { remoteJid: '4915100000001@s.whatsapp.net', fromMe: true, id: 'OUT1' };
    harness.fake.last().emit('messages.update', [
      { key, update: { status: 2 } },
      { key, update: { status: 3 } },
      { key, update: { status: 4 } },
      { key, update: { status: 5 } },
      { key, update: { status: 1 } },
      { key: { ...key, fromMe: false, id: 'IN1' }, update: { status: 4 } },
      { key, update: { starred: true } },
    ]);
    const statuses = harness.events.slice(before).map((e) => (e as { update: { status: string; whatsappId: string } }).update);
    expect(statuses.map((u) => u.status)).toEqual(['sent', 'delivered', 'read', 'played']);
    expect(statuses.every((u) => u.whatsappId === 'OUT1')).toBe(true);
  });

  it('maps group receipts per participant, naming them by the address WhatsApp gives, played ones too', () => {
    const before = harness.events.length;
    const key = { remoteJid: '120363000000000001@g.us', fromMe: true, id: 'OUT2' };
    harness.fake.last().emit('message-receipt.update', [
      { key, receipt: { userJid: '4915100000002@s.whatsapp.net', receiptTimestamp: TS } },
      { key, receipt: { userJid: '4915100000003@s.whatsapp.net', readTimestamp: TS + 5 } },
      { key, receipt: { userJid: '4915100000004@s.whatsapp.net' } },
      { key, receipt: { userJid: '123456789012345@lid', playedTimestamp: TS + 9 } },
    ]);
    const group = { whatsappId: 'OUT2', chatId: '120363000000000001@g.us' };
    expect(harness.events.slice(before)).toEqual([
      {
        type: 'message_status',
        update: { ...group, status: 'delivered', participant: '4915100000002', participantIdentity: { phoneNumber: '4915100000002', lid: null }, at: new Date(TS * 1000) },
      },
      {
        type: 'message_status',
        update: { ...group, status: 'read', participant: '4915100000003', participantIdentity: { phoneNumber: '4915100000003', lid: null }, at: new Date((TS + 5) * 1000) },
      },
      {
        type: 'message_status',
        update: { ...group, status: 'played', participant: '123456789012345@lid', participantIdentity: { phoneNumber: null, lid: '123456789012345@lid' }, at: new Date((TS + 9) * 1000) },
      },
    ]);
  });
});
