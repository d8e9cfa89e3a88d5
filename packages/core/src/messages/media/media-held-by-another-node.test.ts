import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../sessions/index.js';
import { codeOf } from '../../testing/use-case-harness.js';
import { createMessageHarness } from '../../testing/message-test-harness.js';
import { isDomainError } from '../../shared/index.js';
import { createInboundMessageHandler } from '../inbound/handle-inbound-message.js';
import { createGetMedia, MEDIA_HELD_ELSEWHERE } from './get-media.js';
import { createMediaStore, type MediaStore } from './media-store.js';
import { signMediaToken, verifyMediaToken } from './media-token.js';

const KEY = new Uint8Array(32).fill(7);

const photo: InboundMessage = {
  messageId: '3EB0MEDIA',
  from: '4915112345678',
  chatId: '4915112345678@s.whatsapp.net',
  isGroup: false,
  sender: null,
  pushName: null,
  receivedAt: new Date('2026-05-01T12:00:00.000Z'),
  fromMe: false,
  body: { type: 'image', caption: null, media: { mimeType: 'image/png', size: 3, filename: null, download: async () => Uint8Array.from([1, 2, 3]) } },
  replyTo: null,
};

const tokenOf = (url: unknown): string => String(url).split('/v1/media/')[1]!;

describe('media kept in one node’s memory', () => {
  it('signs the holding node into the URL; that node serves it, another answers held_elsewhere with the holder', async () => {
    const h = createMessageHarness();
    const t = await h.tenant();
    const onB = createMediaStore({ clock: h.clock, maxBytes: 1_000, ttlMs: 60_000, holder: 'node_b' });
    const onA = createMediaStore({ clock: h.clock, maxBytes: 1_000, ttlMs: 60_000, holder: 'node_a' });
    const inbound = createInboundMessageHandler({ uow: h.uow, events: h.events, media: onB, mediaKey: KEY, publicUrl: 'https://api.test' });
    await inbound.handleInboundMessage(t.instance, photo);
    const token = tokenOf((h.eventLog()[0]!.data as { body: { media_url: string } }).body.media_url);
    expect(verifyMediaToken(KEY, token)?.holder).toBe('node_b');

    const served = await createGetMedia({ clock: h.clock, media: onB, mediaKey: KEY })(token, t.principal);
    expect(Array.from(served.data)).toEqual([1, 2, 3]);

    const elsewhere = await createGetMedia({ clock: h.clock, media: onA, mediaKey: KEY })(token, t.principal).catch((error: unknown) => error);
    expect(isDomainError(elsewhere, 'unavailable')).toBe(true);
    expect((elsewhere as { details: Record<string, unknown> }).details).toMatchObject({ reason: MEDIA_HELD_ELSEWHERE, holder: 'node_b' });
  });

  it('checks the customer and the expiry before the holder: nothing is forwarded for a URL that cannot be served', async () => {
    const h = createMessageHarness();
    const t = await h.tenant();
    const other = await h.tenant();
    const onA = createMediaStore({ clock: h.clock, maxBytes: 1_000, ttlMs: 60_000, holder: 'node_a' });
    const getMedia = createGetMedia({ clock: h.clock, media: onA, mediaKey: KEY });
    const claims = { customerId: t.principal.customerId, instanceId: t.instance.id, mediaId: 'med_x', holder: 'node_b' };
    const fresh = signMediaToken(KEY, { ...claims, expiresAt: new Date(h.clock.now().getTime() + 60_000) });
    const stale = signMediaToken(KEY, { ...claims, expiresAt: new Date(h.clock.now().getTime() - 1_000) });
    expect(await codeOf(getMedia(fresh, other.principal))).toBe('not_found');
    expect(await codeOf(getMedia(stale, t.principal))).toBe('media_expired');
    expect(await codeOf(getMedia(fresh, t.principal))).toBe('unavailable');
  });

  it('reads a URL signed without a holder (a shared store) from its own store on every node', async () => {
    const h = createMessageHarness();
    const t = await h.tenant();
    const shared = createMediaStore({ clock: h.clock, maxBytes: 1_000, ttlMs: 60_000 });
    const stored = await shared.put({ customerId: t.principal.customerId, data: Uint8Array.from([9]), mimeType: 'image/png', filename: null });
    const token = signMediaToken(KEY, { customerId: t.principal.customerId, instanceId: t.instance.id, mediaId: stored!.id, expiresAt: stored!.expiresAt });
    expect(verifyMediaToken(KEY, token)?.holder).toBeNull();
    expect(Array.from((await createGetMedia({ clock: h.clock, media: shared, mediaKey: KEY })(token, t.principal)).data)).toEqual([9]);
  });

  it('still records message.received, with media_error download_failed, when the store cannot keep the bytes', async () => {
    const h = createMessageHarness();
    const t = await h.tenant();
    const broken: MediaStore = {
      holder: null,
      maxBytes: 1_000,
      put: async () => {
        throw new Error('bucket unreachable');
      },
      get: async () => null,
    };
    const inbound = createInboundMessageHandler({ uow: h.uow, events: h.events, media: broken, mediaKey: KEY, publicUrl: 'https://api.test' });
    await inbound.handleInboundMessage(t.instance, photo);
    expect(h.eventLog()[0]!.data).toMatchObject({ body: { media_url: null, media_error: 'download_failed' } });
  });
});
