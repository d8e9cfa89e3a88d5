/*
 * A contact's profile picture as a URL of ours: the picture is fetched now (from WhatsApp's CDN through the
 * guarded outbound client, or handed over as bytes by the session) and kept in the media store, and the
 * answer is a signed, expiring `/v1/media/<token>` URL, as for inbound media. WhatsApp's own CDN URL is never
 * shown: it is tied to this device's session and expires on WhatsApp's schedule, not ours.
 */
import { DomainError, type OutboundHttp, type Principal } from '../shared/index.js';
import { signMediaToken, type MediaStore } from '../messages/index.js';
import type { InstanceLookup } from '../sessions/index.js';
import { parseContactAddress, sessionAddressOf } from './contact-address.js';

export interface GetProfilePictureDeps {
  readonly lookup: InstanceLookup;
  readonly outbound: Pick<OutboundHttp, 'download'>;
  readonly media: MediaStore;
  /** The HMAC key of media URLs. */
  readonly mediaKey: Uint8Array;
  /** PUBLIC_URL; media URLs are `${publicUrl}/v1/media/<token>`. */
  readonly publicUrl: string;
  /** Deadline for fetching the picture from WhatsApp's CDN. Default 10 s. */
  readonly downloadTimeoutMs?: number;
}

export type GetProfilePicture = (
  principal: Principal,
  input: { readonly instanceId: string; readonly contact: string },
) => Promise<{ readonly url: string | null; readonly expiresAt: Date | null }>;

const MAX_PICTURE_BYTES = 5 * 1024 * 1024;

/**
 * Null `url` when the contact has no picture or hides it from us. Throws as every live lookup (invalid_input,
 * not_found, forbidden, not_connected, upstream_timeout, unavailable), and unavailable when the picture cannot
 * be fetched or kept.
 */
export function createGetProfilePicture(deps: GetProfilePictureDeps): GetProfilePicture {
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  return async (principal, input) => {
    const address = parseContactAddress(input.contact);
    const picture = await deps.lookup(principal, input.instanceId, (directory) => directory.profilePicture(sessionAddressOf(address)));
    if (picture === null) return { url: null, expiresAt: null };
    let data: Uint8Array;
    let mimeType: string;
    if (picture.kind === 'bytes') {
      ({ data, mimeType } = picture);
    } else {
      const fetched = await deps.outbound.download({ url: picture.url, maxBytes: MAX_PICTURE_BYTES, timeoutMs: deps.downloadTimeoutMs ?? 10_000 });
      if (fetched.kind !== 'downloaded') throw new DomainError('unavailable', 'The profile picture could not be fetched from WhatsApp; try again.');
      data = fetched.body;
      mimeType = fetched.contentType?.split(';')[0]?.trim() || 'image/jpeg';
    }
    const stored = await deps.media.put({ customerId: principal.customerId, data, mimeType, filename: null }).catch(() => null);
    if (stored === null) throw new DomainError('unavailable', 'The profile picture cannot be kept right now; try again.');
    const token = signMediaToken(deps.mediaKey, {
      customerId: principal.customerId,
      instanceId: input.instanceId,
      mediaId: stored.id,
      expiresAt: stored.expiresAt,
      holder: deps.media.holder,
    });
    return { url: `${publicUrl}/v1/media/${token}`, expiresAt: stored.expiresAt };
  };
}
