/*
 * Webhook signing secrets follow the Standard Webhooks format: `whsec_` followed by the standard base64
 * (with padding) of random bytes. The HMAC key is the decoded bytes, not the text, for both signature
 * headers, so any Standard Webhooks library verifies `webhook-signature` with the secret as shown.
 *
 * A caller-supplied secret must decode to 24..64 bytes: 24 bytes (192 bits) is the Standard Webhooks
 * minimum, and 64 bytes is the HMAC-SHA256 block size (longer keys are hashed first, adding nothing).
 * The base64 must be canonical (it re-encodes to the same text), because the strict decoders that
 * consumers' libraries use would otherwise disagree with Node's lenient one about the key bytes.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../shared/index.js';

export const SIGNING_SECRET_PREFIX = 'whsec_';
/** Bytes of randomness in a generated secret. */
export const SIGNING_SECRET_BYTES = 32;
export const MIN_SIGNING_SECRET_BYTES = 24;
export const MAX_SIGNING_SECRET_BYTES = 64;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A fresh `whsec_...` secret of 32 random bytes. */
export function generateSigningSecret(): string {
  return SIGNING_SECRET_PREFIX + randomBytes(SIGNING_SECRET_BYTES).toString('base64');
}

/** The key bytes of a secret, or null when it is not a well-formed `whsec_` secret of an allowed length. */
function keyOf(secret: string): Buffer | null {
  if (!secret.startsWith(SIGNING_SECRET_PREFIX)) return null;
  const encoded = secret.slice(SIGNING_SECRET_PREFIX.length);
  if (encoded.length === 0 || !BASE64.test(encoded)) return null;
  const key = Buffer.from(encoded, 'base64');
  if (key.toString('base64') !== encoded) return null;
  if (key.length < MIN_SIGNING_SECRET_BYTES || key.length > MAX_SIGNING_SECRET_BYTES) return null;
  return key;
}

/**
 * Checks a caller-supplied secret and returns it unchanged. Throws `DomainError('invalid_input')` (with
 * `details.field = 'signing_secret'`) when it is not `whsec_` + canonical base64 of 24 to 64 bytes. The
 * message never repeats the secret.
 */
export function validateSigningSecret(secret: string): string {
  if (keyOf(secret) === null) {
    throw new DomainError(
      'invalid_input',
      `signing_secret must be "${SIGNING_SECRET_PREFIX}" followed by the base64 of ${MIN_SIGNING_SECRET_BYTES} to ${MAX_SIGNING_SECRET_BYTES} random bytes.`,
      { field: 'signing_secret' },
    );
  }
  return secret;
}

/**
 * The HMAC key bytes of a stored secret. Secrets are validated when they are stored, so a malformed one
 * here is a bug: it throws a plain Error that does not contain the secret.
 */
export function decodeSigningSecret(secret: string): Buffer {
  const key = keyOf(secret);
  if (key === null) throw new Error('A stored webhook signing secret is malformed (not whsec_ + base64 of 24-64 bytes).');
  return key;
}
