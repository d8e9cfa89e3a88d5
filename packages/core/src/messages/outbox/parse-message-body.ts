/*
 * The send body, checked in core with the schema the HTTP edge validates and documents it with
 * (schemas/message-body-schema.ts), plus what a schema cannot say: a base64 that decodes within the kind's
 * cap, a content type the kind takes, mentions that name people. A media_url is only syntax-checked here;
 * the SSRF policy is the caller's `checkUrl`.
 */
import type { MessageBody } from '../message.js';
import { DomainError, parseWithSchema } from '../../shared/index.js';
import { isGroupJid, normalizeRecipient } from './normalize-recipient.js';
import { bareMimeType, isMediaBodyType, MEDIA_LIMITS, mimeTypeAllowed, type MediaBodyType } from '../media/media-limits.js';
import { MessageBodySchema } from '../schemas/message-body-schema.js';

/** Decoded size of standard or URL-safe base64, or null when it does not decode. */
function base64Size(value: string): number | null {
  const trimmed = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(trimmed) || trimmed.length % 4 === 1) return null;
  return Math.floor((trimmed.replace(/=+$/, '').length * 3) / 4);
}

function checkMedia(type: MediaBodyType, body: { media_base64?: string | undefined; mime_type?: string | undefined }): void {
  const mimeType = bareMimeType(body.mime_type);
  if (mimeType !== null && !mimeTypeAllowed(type, mimeType)) {
    throw new DomainError('unsupported_media_type', `A ${type} cannot be ${mimeType}.`, {
      field: 'body.mime_type',
      allowed: MEDIA_LIMITS[type].mimeTypes,
    });
  }
  if (body.media_base64 === undefined) return;
  const size = base64Size(body.media_base64);
  if (size === null) throw new DomainError('invalid_input', 'body.media_base64 must be base64.', { field: 'body.media_base64' });
  if (size > MEDIA_LIMITS[type].maxBytes) {
    throw new DomainError('payload_too_large', `A ${type} may be at most ${MEDIA_LIMITS[type].maxBytes} bytes.`, {
      field: 'body.media_base64',
      max_bytes: MEDIA_LIMITS[type].maxBytes,
    });
  }
}

/** The body as a MessageBody. Throws `invalid_input`, `payload_too_large` or `unsupported_media_type`. */
export function parseMessageBody(input: unknown): MessageBody {
  return checkMessageBody(parseWithSchema(MessageBodySchema, input, 'body'));
}

/** What the schema cannot check, on a body it passed. Throws like parseMessageBody. */
export function checkMessageBody(body: MessageBody): MessageBody {
  if (body.type === 'text') {
    // Each mention must be a person (a phone number or a user/LID JID), checked now rather than failing at send.
    for (const mention of body.mentions ?? []) {
      if (isGroupJid(normalizeRecipient(mention, 'body.mentions'))) {
        throw new DomainError('invalid_input', 'body.mentions names people (phone numbers or user JIDs), not groups.', {
          field: 'body.mentions',
        });
      }
    }
  } else if (isMediaBodyType(body.type)) {
    checkMedia(body.type, body as { media_base64?: string; mime_type?: string });
  }
  return body;
}
