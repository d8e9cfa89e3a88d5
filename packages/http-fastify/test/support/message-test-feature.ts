/*
 * The message and media route groups over the real use cases: a queue that only records which outboxes
 * were woken, the fake URL check, and an in-memory media store, on a fake clock. Nothing is sent: tests move messages along
 * by hand (`advance`), the way the outbox drainer and receipts would, to read the status trail over HTTP.
 */
import {
  createGetMedia,
  createMediaStore,
  createMessageUseCases,
  signMediaToken,
  type MediaStore,
  type MessageReceipt,
} from '@whatisup/core';
import type { FakeClock } from '@whatisup/core/testing';
import { randomBytes } from 'node:crypto';
import { actionRoutes, mediaRoutes, messageRoutes } from '../../src/index.js';
import type { TestCore } from './create-test-core.js';
import { fakeCheckUrl } from './fake-check-url.js';
import type { TestFeature } from './test-feature.js';

export const MEDIA_TTL_MS = 60_000;

export interface MessageTestOptions {
  /** Bound of the inbound media cache. Default 1 MiB. */
  readonly mediaMaxBytes?: number;
}

export interface MessageTestHelpers {
  /** The outbox jobs woken so far (`outbox:<instance id>`), oldest first. */
  readonly woken: string[];
  readonly media: MediaStore;
  readonly mediaKey: Buffer;
  /** Sends the instance's oldest queued message as the drainer would, then applies `receipts` in order. */
  readonly advance: (instanceId: string, receipts?: ReadonlyArray<MessageReceipt['status']>) => Promise<string>;
  /** Keeps inbound media as the inbound handler does and returns its signed URL's token. */
  readonly storeMedia: (customerId: string, data: Uint8Array, mimeType: string, filename?: string | null) => Promise<string>;
}

export function messageTestFeature({ uow, clock }: TestCore<FakeClock>, options: MessageTestOptions = {}): TestFeature<MessageTestHelpers> {
  const woken: string[] = [];
  const outboxQueue = { enqueue: async (jobs: ReadonlyArray<{ id: string }>) => void woken.push(...jobs.map((j) => j.id)) };
  const media = createMediaStore({ clock, maxBytes: options.mediaMaxBytes ?? 1024 * 1024, ttlMs: MEDIA_TTL_MS });
  const mediaKey = randomBytes(32);
  const useCases = createMessageUseCases({ uow, clock, outboxQueue, outbound: { checkUrl: fakeCheckUrl } });

  return {
    routes: [
      ...messageRoutes(useCases),
      ...actionRoutes(useCases),
      ...mediaRoutes({ getMedia: createGetMedia({ clock, media, mediaKey }) }),
    ],
    helpers: {
      woken,
      media,
      mediaKey,
      async advance(instanceId, receipts = []) {
        clock.advance(1_000);
        const claim = await uow.repos.messages.claimNext(instanceId, { now: clock.now(), until: new Date(clock.now().getTime() + 60_000), token: 't' });
        if (!claim.claimed) throw new Error('nothing to send');
        const whatsappId = `WA${randomBytes(6).toString('hex').toUpperCase()}`;
        await uow.repos.messages.markSent(claim.message.id, 't', { whatsappId, at: clock.now() });
        for (const status of receipts) {
          clock.advance(1_000);
          await uow.repos.messages.markStatus(instanceId, whatsappId, { status, at: clock.now(), participant: null });
        }
        return whatsappId;
      },
      async storeMedia(customerId, data, mimeType, filename = null) {
        const stored = await media.put({ customerId, data, mimeType, filename });
        if (stored === null) throw new Error('media larger than the cache');
        return signMediaToken(mediaKey, { customerId, instanceId: 'inst_media_test', mediaId: stored.id, expiresAt: stored.expiresAt });
      },
    },
  };
}
