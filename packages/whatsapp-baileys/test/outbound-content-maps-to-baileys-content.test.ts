import type { OutboundContent } from '@whatisup/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '@whatisup/test-infra';
import { toBaileysContent } from '../src/to-baileys-content.js';
import { createHarness, makeDataDir } from './session-harness.js';

let data: Awaited<ReturnType<typeof makeDataDir>>;
beforeEach(async () => {
  data = await makeDataDir();
});
afterEach(async () => {
  await data.cleanup();
});

const bytes = Buffer.from([0xff, 0xd8, 0xff]);

async function connected() {
  const harness = createHarness(data.dir);
  const session = harness.open();
  await session.connect();
  await until(() => harness.fake.sockets.length === 1);
  harness.fake.last().open();
  await until(() => session.status === 'connected');
  return { harness, session, socket: harness.fake.last() };
}

const cases: Array<[string, OutboundContent, unknown]> = [
  ['text, link preview off', { type: 'text', text: 'hi https://x.example' }, { text: 'hi https://x.example', linkPreview: null }],
  ['text, link preview asked for', { type: 'text', text: 'hi', linkPreview: true }, { text: 'hi' }],
  [
    'text with mentions',
    { type: 'text', text: 'hi @4915100000001', mentions: ['4915100000001', '4915100000002@s.whatsapp.net'] },
    { text: 'hi @4915100000001', linkPreview: null, mentions: ['4915100000001@s.whatsapp.net', '4915100000002@s.whatsapp.net'] },
  ],
  ['image', { type: 'image', media: { data: bytes, mimeType: 'image/jpeg' }, caption: 'c' }, { image: bytes, mimetype: 'image/jpeg', caption: 'c' }],
  ['video', { type: 'video', media: { data: bytes, mimeType: 'video/mp4' } }, { video: bytes, mimetype: 'video/mp4' }],
  ['voice note', { type: 'audio', media: { data: bytes, mimeType: 'audio/ogg; codecs=opus' }, ptt: true }, { audio: bytes, mimetype: 'audio/ogg; codecs=opus', ptt: true }],
  ['audio file', { type: 'audio', media: { data: bytes, mimeType: 'audio/mpeg' } }, { audio: bytes, mimetype: 'audio/mpeg', ptt: false }],
  [
    'document',
    { type: 'document', media: { data: bytes, mimeType: 'application/pdf' }, filename: 'a.pdf', caption: 'x' },
    { document: bytes, mimetype: 'application/pdf', fileName: 'a.pdf', caption: 'x' },
  ],
  ['sticker', { type: 'sticker', media: { data: bytes, mimeType: 'image/webp' } }, { sticker: bytes, mimetype: 'image/webp' }],
  [
    'location',
    { type: 'location', latitude: 52.52, longitude: 13.4, name: 'Berlin' },
    { location: { degreesLatitude: 52.52, degreesLongitude: 13.4, name: 'Berlin' } },
  ],
  [
    'contact',
    { type: 'contact', displayName: 'Ann', vcard: 'BEGIN:VCARD\nEND:VCARD' },
    { contacts: { displayName: 'Ann', contacts: [{ displayName: 'Ann', vcard: 'BEGIN:VCARD\nEND:VCARD' }] } },
  ],
  [
    'reaction',
    { type: 'reaction', emoji: '👍', target: { whatsappId: 'ABC', chatId: '4915100000001', fromMe: false } },
    { react: { text: '👍', key: { remoteJid: '4915100000001@s.whatsapp.net', id: 'ABC', fromMe: false } } },
  ],
];

describe('sending through the Baileys session', () => {
  it.each(cases)('maps %s to the right Baileys content', async (_name, content, expected) => {
    const { session, socket } = await connected();
    const { whatsappId } = await session.send('4915100000001', content);
    expect(whatsappId).toBe('3EB0FAKE1');
    expect(socket.sent).toHaveLength(1);
    expect(socket.sent[0]!.jid).toBe('4915100000001@s.whatsapp.net');
    expect(socket.sent[0]!.content).toEqual(expected);
    await session.close();
  });

  it('sends to a group JID and quotes the replied-to message, from the sent store when it is there', async () => {
    const { session, socket } = await connected();
    const first = await session.send('120363000000000001@g.us', { type: 'text', text: 'first' });
    await session.send('120363000000000001@g.us', { type: 'text', text: 'second' }, {
      replyTo: { whatsappId: first.whatsappId, chatId: '120363000000000001@g.us', fromMe: true },
    });
    expect(socket.sent[1]!.options?.quoted).toEqual({
      key: { remoteJid: '120363000000000001@g.us', id: first.whatsappId, fromMe: true },
      message: { conversation: 'first' },
    });
    await session.close();
  });

  it('sends a repeat of one of our messages with the same WhatsApp id, derived from our id', async () => {
    const { session, socket } = await connected();
    await session.send('4915100000001', { type: 'text', text: 'once' }, { idempotencyId: 'msg_01JAAAAAAAAAAAAAAAAAAAAAAA' });
    await session.send('4915100000001', { type: 'text', text: 'once' }, { idempotencyId: 'msg_01JAAAAAAAAAAAAAAAAAAAAAAA' });
    await session.send('4915100000001', { type: 'text', text: 'other' }, { idempotencyId: 'msg_01JBBBBBBBBBBBBBBBBBBBBBBB' });
    await session.send('4915100000001', { type: 'text', text: 'no id' });
    const ids = socket.sent.map((call) => call.options?.messageId);
    expect(ids[0]).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[3]).toBeUndefined(); // Baileys makes its own
    await session.close();
  });

  it('answers re-encryption requests from the sent-message store', async () => {
    const { session, socket } = await connected();
    const { whatsappId } = await session.send('4915100000001', { type: 'text', text: 'keep me' });
    expect(await socket.config.getMessage?.({ id: whatsappId, remoteJid: '4915100000001@s.whatsapp.net' })).toEqual({ conversation: 'keep me' });
    expect(await socket.config.getMessage?.({ id: 'unknown' })).toBeUndefined();
    await session.close();
  });

  it('refuses a malformed recipient permanently', async () => {
    const { session, socket } = await connected();
    await expect(session.send('not-a-number', { type: 'text', text: 'x' })).rejects.toMatchObject({ code: 'invalid_recipient', retryable: false });
    await expect(session.send('12@broadcast', { type: 'text', text: 'x' })).rejects.toMatchObject({ code: 'invalid_recipient' });
    expect(socket.sent).toHaveLength(0);
    await session.close();
  });

  it('fails retryably with not_connected when the socket is down or closes mid-send', async () => {
    const harness = createHarness(data.dir);
    const idle = harness.open();
    await expect(idle.send('4915100000001', { type: 'text', text: 'x' })).rejects.toMatchObject({ code: 'not_connected', retryable: true });

    const { session, socket } = await connected();
    socket.sendImpl = async () => {
      throw Object.assign(new Error('Connection Closed'), { output: { statusCode: 428 } });
    };
    await expect(session.send('4915100000001', { type: 'text', text: 'x' })).rejects.toMatchObject({ code: 'not_connected', retryable: true });
    await session.close();
  });

  it('fails retryably with timeout when Baileys never answers', async () => {
    const { session, socket } = await connected();
    socket.sendImpl = () => new Promise(() => undefined);
    await expect(session.send('4915100000001', { type: 'text', text: 'x' })).rejects.toMatchObject({ code: 'timeout', retryable: true });
    await session.close();
  });
});

describe('polls and view-once media', () => {
  it('map to Baileys poll content and the viewOnce flag', () => {
    const media = { data: new Uint8Array([1, 2]), mimeType: 'image/jpeg' };
    expect(toBaileysContent({ type: 'poll', question: 'Lunch?', options: ['Pizza', 'Sushi'], selectableCount: 1 })).toEqual({
      poll: { name: 'Lunch?', values: ['Pizza', 'Sushi'], selectableCount: 1 },
    });
    expect(toBaileysContent({ type: 'image', media, viewOnce: true })).toMatchObject({ image: Buffer.from([1, 2]), viewOnce: true });
    expect(toBaileysContent({ type: 'audio', media: { ...media, mimeType: 'audio/ogg' }, ptt: true, viewOnce: true })).toMatchObject({ ptt: true, viewOnce: true });
    expect(toBaileysContent({ type: 'video', media: { ...media, mimeType: 'video/mp4' } })).not.toHaveProperty('viewOnce');
  });
});
