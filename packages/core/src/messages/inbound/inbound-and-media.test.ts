import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../sessions/index.js';
import { codeOf } from '../../testing/use-case-harness.js';
import { createGetMedia } from '../media/get-media.js';
import { aPrincipal } from '../../testing/fixtures.js';
import { createInboundMessageHandler } from './handle-inbound-message.js';
import { createMediaStore } from '../media/media-store.js';
import { createMessageHarness } from '../../testing/message-test-harness.js';

const KEY = new Uint8Array(32).fill(7);

function setup(maxBytes = 1_000) {
  const h = createMessageHarness();
  const media = createMediaStore({ clock: h.clock, maxBytes, ttlMs: 60_000 });
  const inbound = createInboundMessageHandler({ uow: h.uow, events: h.events, media, mediaKey: KEY, publicUrl: 'https://api.test/' });
  const getMedia = createGetMedia({ clock: h.clock, media, mediaKey: KEY });
  return { h, media, inbound, getMedia };
}

const base = (overrides: Partial<InboundMessage> = {}): InboundMessage => ({
  messageId: '3EB0ABC',
  from: '4915112345678',
  chatId: '4915112345678@s.whatsapp.net',
  isGroup: false,
  sender: null,
  pushName: 'Ada',
  receivedAt: new Date('2026-05-01T12:00:00.000Z'),
  fromMe: false,
  body: { type: 'text', text: 'hi' },
  replyTo: null,
  ...overrides,
});

const image = (bytes: number[]): InboundMessage['body'] => ({
  type: 'image',
  caption: 'look',
  media: { mimeType: 'image/jpeg', size: bytes.length, filename: null, download: async () => new Uint8Array(bytes) },
});

const tokenOf = (url: unknown): string => String(url).split('/v1/media/')[1]!;

describe('inbound messages', () => {
  it('become message.received with the documented data keys, reply context included', async () => {
    const { h, inbound } = setup();
    const t = await h.tenant();
    const replyTo = { whatsappId: 'WA1', chatId: '120363@g.us', fromMe: true, participant: '491@s.whatsapp.net', text: 'q' };
    await inbound.handleInboundMessage(t.instance, base({ isGroup: true, chatId: '120363@g.us', sender: '491522222222', replyTo }));
    expect(h.eventLog()).toEqual([
      {
        event: 'message.received',
        data: {
          message_id: '3EB0ABC',
          from: '4915112345678',
          chat_id: '120363@g.us',
          is_group: true,
          sender: '491522222222',
          push_name: 'Ada',
          received_at: '2026-05-01T12:00:00.000Z',
          body: { type: 'text', text: 'hi' },
          reply_to: { message_id: 'WA1', chat_id: '120363@g.us', from_me: true, participant: '491@s.whatsapp.net', text: 'q' },
          author: { phone_number: '491522222222', lid: null },
        },
      },
    ]);
  });

  it('map every non-media kind to its body', async () => {
    const { h, inbound } = setup();
    const t = await h.tenant();
    const bodies: InboundMessage['body'][] = [
      { type: 'location', latitude: 1.5, longitude: 2.5, name: 'Here', address: null },
      { type: 'contact', displayName: 'Bob', vcard: 'BEGIN:VCARD\nEND:VCARD' },
      { type: 'unsupported', kind: 'poll' },
    ];
    for (const body of bodies) await inbound.handleInboundMessage(t.instance, base({ body }));
    expect(h.eventLog().map((e) => e.data.body)).toEqual([
      { type: 'location', latitude: 1.5, longitude: 2.5, name: 'Here', address: null },
      { type: 'contact', display_name: 'Bob', vcard: 'BEGIN:VCARD\nEND:VCARD' },
      { type: 'unsupported', kind: 'poll' },
    ]);
  });

  it('carry media as a signed URL that serves the bytes to the same customer only, then 410 after expiry', async () => {
    const { h, inbound, getMedia } = setup();
    const t = await h.tenant();
    await inbound.handleInboundMessage(t.instance, base({ body: image([1, 2, 3]) }));
    const body = h.eventLog()[0]!.data.body as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'image', mime_type: 'image/jpeg', size: 3, caption: 'look' });
    expect(body.media_url).toMatch(/^https:\/\/api\.test\/v1\/media\/[\w-]+\.[\w-]+$/);
    const token = tokenOf(body.media_url);
    expect(await getMedia(token, t.principal)).toEqual({ data: new Uint8Array([1, 2, 3]), mimeType: 'image/jpeg', filename: null });
    expect(await codeOf(getMedia(token, aPrincipal('cust_someone_else')))).toBe('not_found');
    // A key of the same customer bound to another instance cannot read it; one bound to this instance can.
    expect(await codeOf(getMedia(token, { ...t.principal, instanceId: 'inst_other' }))).toBe('not_found');
    expect(await getMedia(token, { ...t.principal, instanceId: t.instance.id })).toMatchObject({ mimeType: 'image/jpeg' });
    expect(await codeOf(getMedia(`${token.slice(0, -2)}xx`, t.principal))).toBe('not_found');
    h.clock.advance(60_000);
    expect(await codeOf(getMedia(token, t.principal))).toBe('media_expired');
  });

  it('answers media_expired for media evicted by newer media, and keeps the event when the bytes cannot be kept', async () => {
    const { h, inbound, getMedia } = setup(10);
    const t = await h.tenant();
    await inbound.handleInboundMessage(t.instance, base({ body: image([1, 2, 3, 4, 5, 6]) }));
    await inbound.handleInboundMessage(t.instance, base({ body: image([7, 8, 9, 10, 11, 12]) }));
    await inbound.handleInboundMessage(t.instance, base({ body: image(Array.from({ length: 11 }, () => 0)) }));
    const [first, second, huge] = h.eventLog().map((e) => e.data.body as Record<string, unknown>);
    expect(await codeOf(getMedia(tokenOf(first!.media_url), t.principal))).toBe('media_expired');
    expect(await codeOf(getMedia(tokenOf(second!.media_url), t.principal))).toBe('resolved');
    expect(huge).toMatchObject({ media_url: null, media_error: 'too_large' });
  });

  it('does not download an attachment announced larger than the cache can hold', async () => {
    const { h, inbound } = setup(10);
    const t = await h.tenant();
    let downloads = 0;
    const body: InboundMessage['body'] = {
      type: 'document',
      caption: null,
      media: { mimeType: 'application/pdf', size: 1_000_000, filename: 'big.pdf', download: async () => (downloads++, new Uint8Array(8)) },
    } as InboundMessage['body'];
    await inbound.handleInboundMessage(t.instance, base({ body }));
    expect(downloads).toBe(0);
    expect(h.eventLog()[0]!.data.body).toMatchObject({ media_url: null, media_error: 'too_large' });
  });

  it('report own messages from the phone as message.sent with from_me, skipping echoes of our own sends', async () => {
    const { h, inbound } = setup();
    const t = await h.tenant();
    await h.sendMessage(t.principal, { instanceId: t.instance.id, to: '4915112345678', body: { type: 'text', text: 'api' } });
    await h.drainAll(t.instance.id);
    await inbound.handleOwnMessage(t.instance, base({ messageId: 'WA000001', fromMe: true }));
    await inbound.handleOwnMessage(t.instance, base({ messageId: 'PHONE1', fromMe: true }));
    const own = h.eventLog().filter((e) => e.data.from_me === true);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ event: 'message.sent', data: { message_id: 'PHONE1', whatsapp_id: 'PHONE1', to: '4915112345678@s.whatsapp.net', status: 'sent', body: { type: 'text', text: 'hi' } } });
  });
});
