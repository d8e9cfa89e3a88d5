/*
 * API key format: `wiu_<lookup>_<secret>`. `lookup` is 16 random base32 characters (80 bits) and, with the
 * `wiu_` marker, forms the public prefix that is stored, shown and logged; `secret` is 32 random bytes in
 * base64url (43 characters) and is never stored: only HMAC-SHA256(pepper, `${prefix}|${secret}`) is.
 * The `wiu_` marker lets secret scanners recognise a leaked key.
 */
import { randomBytes } from 'node:crypto';

export const API_KEY_MARKER = 'wiu';

const LOOKUP_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const LOOKUP_LENGTH = 16;
const SECRET_BYTES = 32;
const KEY_PATTERN = /^(wiu_[a-z2-7]{16})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyParts {
  /** `wiu_<lookup>`: public. */
  readonly prefix: string;
  /** Never store or log this. */
  readonly secret: string;
}

export interface GeneratedApiKey extends ApiKeyParts {
  /** The full key, shown to its owner once. */
  readonly key: string;
}

/** A fresh random key. */
export function generateApiKey(): GeneratedApiKey {
  // 256 is a multiple of 32, so `byte % 32` is unbiased.
  const lookup = Array.from(randomBytes(LOOKUP_LENGTH), (b) => LOOKUP_ALPHABET[b % 32]).join('');
  const prefix = `${API_KEY_MARKER}_${lookup}`;
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { prefix, secret, key: `${prefix}_${secret}` };
}

/** Splits a raw key into prefix and secret, or returns null when it is not a well-formed key. */
export function parseApiKey(raw: string): ApiKeyParts | null {
  const match = KEY_PATTERN.exec(raw);
  if (match === null) return null;
  return { prefix: match[1]!, secret: match[2]! };
}
