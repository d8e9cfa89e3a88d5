/*
 * Sets a group's picture (`PUT …/groups/:group_id/picture`): the image comes inline (base64) or from a URL
 * fetched through the guarded outbound client (SSRF policy, DNS pinning) under the image cap used for sends.
 * The bytes must be a JPEG, PNG or WebP whatever the declared type says (422 `invalid_media` otherwise), and
 * are checked before WhatsApp is asked, which is why this is a live operation rather than an outbox action.
 */
import { DomainError, parseWithSchema, type OutboundHttp, type Principal, type UnitOfWork } from '../shared/index.js';
import { findInstanceInScope, type InstanceRepositories } from '../instances/index.js';
import { MEDIA_LIMITS } from '../messages/index.js';
import type { InstanceLookup } from '../sessions/index.js';
import { toGroupJid } from './group-address.js';
import { GroupPictureBody } from './schemas/group-schemas.js';

export type SetGroupPicture = (
  principal: Principal,
  input: { readonly instanceId: string; readonly groupId: string; readonly body: unknown },
) => Promise<void>;

export interface SetGroupPictureDeps {
  readonly uow: UnitOfWork<InstanceRepositories>;
  readonly lookup: InstanceLookup;
  readonly outbound: Pick<OutboundHttp, 'download'>;
  readonly downloadTimeoutMs?: number;
}

/** The image type the bytes are, by their signature, or null when they are no image WhatsApp takes. */
export function sniffImageType(data: Uint8Array): string | null {
  const at = (i: number) => data[i];
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...data.subarray(from, to));
  if (data.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

const notAnImage = (why: string) => new DomainError('invalid_media', `The picture is not a JPEG, PNG or WebP image: ${why}.`, { field: 'picture' });

/** Throws invalid_input, unsafe_url, payload_too_large, invalid_media, not_found, forbidden, not_connected, conflict, upstream_timeout, unavailable. */
export function createSetGroupPicture(deps: SetGroupPictureDeps): SetGroupPicture {
  const maxBytes = MEDIA_LIMITS.image.maxBytes;
  async function imageOf(body: { media_url?: string | undefined; media_base64?: string | undefined }): Promise<Uint8Array> {
    if (body.media_base64 !== undefined) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.media_base64)) throw new DomainError('invalid_input', 'media_base64 is not base64.', { field: 'media_base64' });
      const data = Buffer.from(body.media_base64, 'base64');
      if (data.byteLength > maxBytes) throw new DomainError('payload_too_large', `A picture may be at most ${maxBytes} bytes.`, { max_bytes: maxBytes });
      return data;
    }
    const result = await deps.outbound.download({ url: body.media_url ?? '', maxBytes, timeoutMs: deps.downloadTimeoutMs ?? 15_000 });
    switch (result.kind) {
      case 'downloaded':
        return result.body;
      case 'unsafe_url':
        throw new DomainError('unsafe_url', result.message, { field: 'media_url' });
      case 'too_large':
        throw new DomainError('payload_too_large', `The picture at media_url is larger than ${maxBytes} bytes.`, { max_bytes: maxBytes });
      case 'http_status':
        throw notAnImage(`fetching media_url answered HTTP ${result.status}`);
      default:
        throw notAnImage(`fetching media_url failed (${result.kind})`);
    }
  }
  return async (principal, input) => {
    const groupId = toGroupJid(input.groupId);
    const body = parseWithSchema(GroupPictureBody, input.body, 'body');
    await findInstanceInScope(deps.uow.repos, principal, input.instanceId); // nothing is fetched for a caller out of scope
    const data = await imageOf(body);
    const mimeType = sniffImageType(data);
    if (mimeType === null) throw notAnImage('its bytes are no image');
    await deps.lookup(principal, input.instanceId, (_directory, _instance, groups) => groups.setPicture(groupId, { data, mimeType }));
  };
}
