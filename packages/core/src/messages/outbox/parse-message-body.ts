/*
 * The send body, checked in core. The HTTP edge validates the same shapes with its schema first (and
 * answers 400/413 before core runs); this guard keeps the invariant for every other caller and adds what a
 * schema cannot say: exactly one media source, a decodable base64 within the type's cap, an allowed
 * content type. A media_url is only syntax-checked here; the SSRF policy is the caller's `checkUrl`.
 */
import type { MessageBody } from '../message.js';
import { DomainError } from '../../shared/index.js';
import { isGroupJid, normalizeRecipient } from './normalize-recipient.js';
import { bareMimeType, isMediaBodyType, MEDIA_LIMITS, mimeTypeAllowed, type MediaBodyType } from '../media/media-limits.js';

/** The longest text WhatsApp takes. */
export const MAX_TEXT_LENGTH = 65_536;

const invalid = (field: string, message: string): DomainError =>
  new DomainError('invalid_input', message, { field: `body.${field}` });

function str(body: Record<string, unknown>, field: string, opts: { optional?: boolean; max?: number; min?: number } = {}): void {
  const value = body[field];
  if (value === undefined && opts.optional === true) return;
  if (typeof value !== 'string') throw invalid(field, `body.${field} must be a string.`);
  if (value.length < (opts.min ?? 0) || value.length > (opts.max ?? 4096)) {
    throw invalid(field, `body.${field} must be ${opts.min ?? 0} to ${opts.max ?? 4096} characters.`);
  }
}

function bool(body: Record<string, unknown>, field: string): void {
  if (body[field] !== undefined && typeof body[field] !== 'boolean') throw invalid(field, `body.${field} must be a boolean.`);
}

function num(body: Record<string, unknown>, field: string, min: number, max: number): void {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(field, `body.${field} must be a number from ${min} to ${max}.`);
  }
}

/** Decoded size of standard or URL-safe base64, or null when it is not base64. */
function base64Size(value: string): number | null {
  const trimmed = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(trimmed) || trimmed.length % 4 === 1) return null;
  return Math.floor((trimmed.replace(/=+$/, '').length * 3) / 4);
}

function checkMedia(type: MediaBodyType, body: Record<string, unknown>): void {
  const hasUrl = body.media_url !== undefined;
  const hasInline = body.media_base64 !== undefined;
  if (hasUrl === hasInline) throw invalid('media_url', `A ${type} needs exactly one of body.media_url and body.media_base64.`);
  str(body, 'mime_type', { optional: !hasInline, min: 3, max: 255 });
  const mimeType = bareMimeType(body.mime_type as string | undefined);
  if (mimeType !== null && !mimeTypeAllowed(type, mimeType)) {
    throw new DomainError('unsupported_media_type', `A ${type} cannot be ${mimeType}.`, {
      field: 'body.mime_type',
      allowed: MEDIA_LIMITS[type].mimeTypes,
    });
  }
  if (hasUrl) {
    str(body, 'media_url', { min: 1, max: 2048 });
    return;
  }
  str(body, 'media_base64', { min: 1, max: Number.MAX_SAFE_INTEGER });
  const size = base64Size(body.media_base64 as string);
  if (size === null) throw invalid('media_base64', 'body.media_base64 must be base64.');
  if (size > MEDIA_LIMITS[type].maxBytes) {
    throw new DomainError('payload_too_large', `A ${type} may be at most ${MEDIA_LIMITS[type].maxBytes} bytes.`, {
      field: 'body.media_base64',
      max_bytes: MEDIA_LIMITS[type].maxBytes,
    });
  }
}

/** The body as a MessageBody. Throws `invalid_input`, `payload_too_large` or `unsupported_media_type`. */
export function parseMessageBody(input: unknown): MessageBody {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new DomainError('invalid_input', 'body must be an object with a type.', { field: 'body' });
  }
  const body = input as Record<string, unknown>;
  const type = body.type;
  if (type === 'text') {
    str(body, 'text', { min: 1, max: MAX_TEXT_LENGTH });
    bool(body, 'link_preview');
    const mentions = body.mentions;
    if (mentions !== undefined && (!Array.isArray(mentions) || !mentions.every((m) => typeof m === 'string'))) {
      throw invalid('mentions', 'body.mentions must be an array of phone numbers or JIDs.');
    }
    // Each mention must be a person (a phone number or a user/LID JID), checked now rather than failing at send.
    for (const mention of (mentions as string[] | undefined) ?? []) {
      if (isGroupJid(normalizeRecipient(mention, 'body.mentions'))) {
        throw invalid('mentions', 'body.mentions names people (phone numbers or user JIDs), not groups.');
      }
    }
  } else if (typeof type === 'string' && isMediaBodyType(type)) {
    checkMedia(type, body);
    if (type !== 'sticker' && type !== 'audio') str(body, 'caption', { optional: true, max: 1024 });
    if (type === 'document') str(body, 'filename', { min: 1, max: 255 });
    if (type === 'audio') bool(body, 'ptt');
    if (type === 'video') bool(body, 'gif_playback');
  } else if (type === 'location') {
    num(body, 'latitude', -90, 90);
    num(body, 'longitude', -180, 180);
    str(body, 'name', { optional: true, max: 1000 });
    str(body, 'address', { optional: true, max: 1000 });
  } else if (type === 'contact') {
    str(body, 'vcard', { min: 1, max: 65_536 });
    if (!(body.vcard as string).trimStart().toUpperCase().startsWith('BEGIN:VCARD')) {
      throw invalid('vcard', 'body.vcard must be a vCard (BEGIN:VCARD ... END:VCARD).');
    }
    str(body, 'display_name', { optional: true, max: 255 });
  } else if (type === 'reaction') {
    str(body, 'emoji', { max: 32 });
    str(body, 'message_id', { min: 1, max: 255 });
  } else {
    throw new DomainError('invalid_input', 'body.type must be one of text, image, video, audio, document, sticker, location, contact, reaction.', {
      field: 'body.type',
    });
  }
  return body as unknown as MessageBody;
}
