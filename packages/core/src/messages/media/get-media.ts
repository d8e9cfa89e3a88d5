/*
 * `GET /v1/media/:token`: the bytes of an inbound attachment. The URL needs the API key too (Bearer, like
 * every other route): it is NOT a bearer-capability URL. Webhook payloads travel through customers'
 * infrastructure, logs and queues; a URL that alone opens a customer's private photos would leak with them.
 * Requiring the key costs the integrator nothing (their consumer holds it already) and matches the WhatsApp
 * Cloud API, whose media URLs also need the access token. So the token proves what and until when; the key
 * proves who, and must be the token's customer's. Another customer's token is a 404, like any other
 * customer's resource; a bad signature is a 404 too; a valid token whose time passed, or whose bytes were
 * evicted or lost with a restart, is 410 `media_expired`.
 *
 * A token whose bytes another node holds in its memory (the token's `holder` is not this store's) is
 * `unavailable` with reason `held_elsewhere` and the holder's id: the HTTP edge forwards the request to that
 * node, as it forwards requests for a session another node runs. The id stays in the server: it is not
 * part of what a client is shown.
 */
import { DomainError, type Clock, type Principal } from '../../shared/index.js';
import type { MediaStore, StoredMedia } from './media-store.js';
import { verifyMediaToken } from './media-token.js';

export interface GetMediaDeps {
  readonly clock: Clock;
  readonly media: MediaStore;
  readonly mediaKey: Uint8Array;
}

export interface MediaContent {
  readonly data: Uint8Array;
  readonly mimeType: string;
  readonly filename: string | null;
}

export type GetMedia = (token: string, principal: Principal) => Promise<MediaContent>;

/** The `unavailable` error of a download whose bytes another node holds. */
export const MEDIA_HELD_ELSEWHERE = 'held_elsewhere';

/**
 * Throws `not_found` (bad token, another customer's, or another instance's for a key bound to an instance),
 * `media_expired` (expired, evicted, lost), or `unavailable`: with `details.reason` `held_elsewhere` and
 * `details.holder` (the node id) when another node's memory holds the bytes, without a reason when the
 * store fails.
 */
export function createGetMedia({ clock, media, mediaKey }: GetMediaDeps): GetMedia {
  return async (token, principal) => {
    const claims = verifyMediaToken(mediaKey, token);
    const outOfScope = principal.instanceId !== null && claims !== null && claims.instanceId !== principal.instanceId;
    if (claims === null || claims.customerId !== principal.customerId || outOfScope) {
      throw new DomainError('not_found', 'No media for this URL.');
    }
    const expired = new DomainError('media_expired', 'This media URL expired or its media is no longer kept.', {
      expired_at: claims.expiresAt.toISOString(),
    });
    if (claims.expiresAt.getTime() <= clock.now().getTime()) throw expired;
    if (claims.holder !== null && claims.holder !== media.holder) {
      throw new DomainError('unavailable', 'Another server holds this media; try again shortly.', {
        reason: MEDIA_HELD_ELSEWHERE,
        holder: claims.holder,
        expires_at: claims.expiresAt.toISOString(),
        retry_after_seconds: 1,
      });
    }
    let stored: StoredMedia | null;
    try {
      stored = await media.get(claims.mediaId);
    } catch {
      // A shared store that cannot be reached now (the adapter's own error is logged where it is composed).
      throw new DomainError('unavailable', 'The media store cannot be reached right now; try again shortly.', { retry_after_seconds: 5 });
    }
    if (stored === null || stored.customerId !== principal.customerId) throw expired;
    return { data: stored.data, mimeType: stored.mimeType, filename: stored.filename };
  };
}
