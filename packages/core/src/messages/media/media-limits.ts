/*
 * What WhatsApp accepts per media type (the Cloud API's documented limits): a cap in bytes and the content
 * types allowed. `null` types: any. Checked at accept time for inline base64 and at send time for media
 * fetched from a `media_url` (its Content-Type and its size while downloading).
 */
export type MediaBodyType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export interface MediaLimit {
  readonly maxBytes: number;
  readonly mimeTypes: readonly string[] | null;
}

const MB = 1024 * 1024;

export const MEDIA_LIMITS: Readonly<Record<MediaBodyType, MediaLimit>> = {
  image: { maxBytes: 5 * MB, mimeTypes: ['image/jpeg', 'image/png', 'image/webp'] },
  video: { maxBytes: 16 * MB, mimeTypes: ['video/mp4', 'video/3gpp'] },
  audio: { maxBytes: 16 * MB, mimeTypes: ['audio/ogg', 'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/amr'] },
  document: { maxBytes: 100 * MB, mimeTypes: null },
  sticker: { maxBytes: 500 * 1024, mimeTypes: ['image/webp'] },
};

export const isMediaBodyType = (type: string): type is MediaBodyType => Object.hasOwn(MEDIA_LIMITS, type);

/** `image/jpeg; charset=x` → `image/jpeg`; null for an empty value. */
export function bareMimeType(value: string | null | undefined): string | null {
  const bare = value?.split(';')[0]?.trim().toLowerCase() ?? '';
  return bare === '' ? null : bare;
}

/** Whether `mimeType` may be sent as `type`. */
export function mimeTypeAllowed(type: MediaBodyType, mimeType: string): boolean {
  const allowed = MEDIA_LIMITS[type].mimeTypes;
  return allowed === null || allowed.includes(mimeType);
}
