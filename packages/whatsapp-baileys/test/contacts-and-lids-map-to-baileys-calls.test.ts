/*
 * The session's directory and actions against a fake socket answering like Baileys 7: `onWhatsApp` lists
 * only numbers on WhatsApp, the LID store hands out device-suffixed JIDs, a missing picture is a Boom 404,
 * a non-business profile is void, and `lid-mapping.update` carries `{ lid, pn }` JIDs.
 */
import { isWhatsAppSendError, type SessionEvent, type WhatsAppSession } from '@whatisup/core';
import type { WAMessage } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '@whatisup/test-infra';
import type { FakeBaileysSocket } from './fake-baileys-socket.js';
import { createHarness, makeDataDir } from './session-harness.js';

let data: Awaited<ReturnType<typeof makeDataDir>>;
let harness: ReturnType<typeof createHarness>;
let session: WhatsAppSession;
let socket: FakeBaileysSocket;

const ANN = '4915100000001@s.whatsapp.net';
const ANN_LID = '123456789012345@lid';
const SHOP = '4915100000002@s.whatsapp.net';

beforeEach(async () => {
  data = await makeDataDir();
  harness = createHarness(data.dir);
  session = harness.open();
  await session.connect();
  await until(() => harness.fake.sockets.length === 1);
  socket = harness.fake.last();
  socket.accounts.set(ANN, { lid: ANN_LID, pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/ann.jpg?oh=1&oe=2' });
  socket.accounts.set(SHOP, {
    business: { description: 'Fresh bread', email: 'shop@example.com', business_hours: {}, website: ['https://shop.example'], category: 'Bakery', address: 'Main St 1' },
  });
  socket.open('4915112345678:3@s.whatsapp.net');
  await until(() => session.status === 'connected');
});
afterEach(async () => {
  await session.close();
  await data.cleanup();
});

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: unknown) => (isWhatsAppSendError(error) ? error.code : String(error)));

describe('the Baileys directory', () => {
  it('checks numbers with onWhatsApp and adds the LID from the mapping store', async () => {
    expect(await session.directory.checkNumbers(['4915100000001', '4915100000009'])).toEqual([
      { phoneNumber: '4915100000001', exists: true, jid: ANN, lid: ANN_LID },
      { phoneNumber: '4915100000009', exists: false, jid: null, lid: null },
    ]);
    expect(socket.calls[0]).toBe('onWhatsApp:4915100000001,4915100000009');
  });

  it('resolves a LID to a phone number through getPNForLID, dropping the device', async () => {
    expect(await session.directory.phoneNumberOfLid(ANN_LID)).toBe('4915100000001');
    expect(await session.directory.phoneNumberOfLid('999@lid')).toBeNull();
  });

  it('describes a contact by phone or LID, with its business flag', async () => {
    const ann = { jid: ANN, phoneNumber: '4915100000001', lid: ANN_LID, pushName: null, isBusiness: false };
    expect(await session.directory.contact('4915100000001')).toEqual(ann);
    expect(await session.directory.contact(ANN_LID)).toEqual(ann);
    expect(await session.directory.contact(SHOP)).toMatchObject({ isBusiness: true, lid: null });
    expect(await session.directory.contact('4915100000009')).toBeNull();
  });

  it("names a contact by the push name of their last message, under either address", async () => {
    socket.emit('messages.upsert', {
      type: 'notify',
      messages: [{ key: { remoteJid: ANN_LID, remoteJidAlt: ANN, fromMe: false, id: '3A0000000000000021' }, messageTimestamp: 1_746_100_000, pushName: 'Ann', message: { conversation: 'hi' } }],
    });
    expect(await session.directory.contact('4915100000001')).toMatchObject({ pushName: 'Ann' });
    expect(await session.directory.contact(ANN_LID)).toMatchObject({ pushName: 'Ann' });
    expect(await session.directory.contact(SHOP)).toMatchObject({ pushName: null });
  });

  it('answers the picture URL, and null for Baileys 404; the business profile, and null when void', async () => {
    expect(await session.directory.profilePicture(ANN)).toEqual({ kind: 'url', url: 'https://pps.whatsapp.net/v/t61.24694-24/ann.jpg?oh=1&oe=2' });
    expect(socket.calls.at(-1)).toBe(`profilePictureUrl:${ANN}:image`);
    expect(await session.directory.profilePicture(SHOP)).toBeNull();
    expect(await session.directory.businessProfile(SHOP)).toEqual({
      description: 'Fresh bread',
      category: 'Bakery',
      email: 'shop@example.com',
      websites: ['https://shop.example'],
      address: 'Main St 1',
    });
    expect(await session.directory.businessProfile(ANN)).toBeNull();
  });

  it('blocks and unblocks with updateBlockStatus and lists fetchBlocklist', async () => {
    await session.perform({ type: 'block', address: '4915100000001' });
    await session.perform({ type: 'block', address: ANN_LID });
    expect(await session.directory.blocklist()).toEqual([ANN, ANN_LID]);
    await session.perform({ type: 'unblock', address: ANN_LID });
    expect(socket.calls.filter((c) => c.startsWith('updateBlockStatus'))).toEqual([
      `updateBlockStatus:${ANN}:block`,
      `updateBlockStatus:${ANN_LID}:block`,
      `updateBlockStatus:${ANN_LID}:unblock`,
    ]);
    expect(await codeOf(session.perform({ type: 'block', address: '120363000000000000@g.us' }))).toBe('invalid_recipient');
  });

  it('refuses every call with not_connected once the connection dropped', async () => {
    socket.close(408);
    await until(() => session.status === 'reconnecting');
    expect(await codeOf(session.directory.blocklist())).toBe('not_connected');
    expect(await codeOf(session.perform({ type: 'block', address: ANN }))).toBe('not_connected');
  });
});

describe('LIDs in Baileys events', () => {
  const events = (from: number): SessionEvent[] => harness.events.slice(from);

  it('turns lid-mapping.update into a lid_mapping event', () => {
    const before = harness.events.length;
    socket.emit('lid-mapping.update', { lid: '555000111222333:12@lid', pn: '4915100000003:7@s.whatsapp.net' });
    socket.emit('lid-mapping.update', { lid: 'garbage', pn: '' });
    expect(events(before)).toEqual([{ type: 'lid_mapping', lid: '555000111222333@lid', phoneNumber: '4915100000003' }]);
  });

  it('gives an inbound message both addresses of its author from remoteJid and remoteJidAlt', () => {
    const before = harness.events.length;
    const fromLid: WAMessage = {
      key: { remoteJid: ANN_LID, remoteJidAlt: ANN, fromMe: false, id: '3A0000000000000011', addressingMode: 'lid' },
      messageTimestamp: 1_746_100_000,
      message: { conversation: 'hi' },
    };
    const lidOnly: WAMessage = { key: { remoteJid: '777000111222333@lid', fromMe: false, id: '3A0000000000000012' }, messageTimestamp: 1_746_100_001, message: { conversation: 'who?' } };
    const group: WAMessage = {
      key: { remoteJid: '120363000000000000@g.us', participant: ANN_LID, participantAlt: ANN, fromMe: false, id: '3A0000000000000013' },
      messageTimestamp: 1_746_100_002,
      message: { conversation: 'all' },
    };
    socket.emit('messages.upsert', { messages: [fromLid, lidOnly, group], type: 'notify' });
    const authors = events(before).map((e) => (e.type === 'message' ? { from: e.message.from, author: e.message.author } : null));
    expect(authors).toEqual([
      { from: '4915100000001', author: { phoneNumber: '4915100000001', lid: ANN_LID } },
      { from: '777000111222333@lid', author: { phoneNumber: null, lid: '777000111222333@lid' } },
      { from: '4915100000001', author: { phoneNumber: '4915100000001', lid: ANN_LID } },
    ]);
  });
});
