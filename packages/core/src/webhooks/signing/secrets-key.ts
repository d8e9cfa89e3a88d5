/*
 * The key that encrypts webhook signing secrets at rest (SECRETS_KEY, and SECRETS_KEY_PREVIOUS during a
 * rotation). It is 32 random bytes written as 64 hex characters, or as base64 (44 characters with
 * padding, or 43 in base64url without). Its id is derived from the key itself (the first 8 hex characters
 * of SHA-256 over a label and the key), so the operator never names keys: setting a new SECRETS_KEY and
 * moving the old one to SECRETS_KEY_PREVIOUS is the whole rotation, and every sealed secret says which
 * key opens it. The id reveals nothing usable about a 256-bit random key.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface SecretsKey {
  /** 8 lower-case hex characters, stable for a given key. */
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

export const SECRETS_KEY_BYTES = 32;

/** What SECRETS_KEY may be, for error messages; it follows the forms decode() accepts. */
export const SECRETS_KEY_FORMAT =
  'must be 32 bytes as base64, base64url or hex (44 base64, 43 base64url or 64 hex characters); ' +
  'generate one with: openssl rand -base64 32';

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}$/;

/** The id of a key: first 8 hex characters of SHA-256("whatisup-secrets-key\0" || key). */
export function secretsKeyId(key: Buffer): string {
  return createHash('sha256').update('whatisup-secrets-key\0').update(key).digest('hex').slice(0, 8);
}

/** A key from bytes; throws when it is not exactly 32 bytes. */
export function secretsKeyFromBytes(key: Buffer): SecretsKey {
  if (key.length !== SECRETS_KEY_BYTES) throw new Error(`A secrets key must be ${SECRETS_KEY_BYTES} bytes, got ${key.length}.`);
  return { id: secretsKeyId(key), key: Buffer.from(key) };
}

function decode(text: string): Buffer | null {
  if (HEX.test(text)) return Buffer.from(text, 'hex');
  if (BASE64.test(text)) return Buffer.from(text, 'base64');
  if (BASE64URL.test(text)) return Buffer.from(text, 'base64url');
  return null;
}

/**
 * Parses SECRETS_KEY (or SECRETS_KEY_PREVIOUS: pass the variable's name for the message). Surrounding
 * whitespace is ignored. Throws an Error naming the variable and the expected format, never the value.
 */
export function parseSecretsKey(text: string, variable = 'SECRETS_KEY'): SecretsKey {
  const key = decode(text.trim());
  if (key === null || key.length !== SECRETS_KEY_BYTES) {
    throw new Error(`${variable} ${SECRETS_KEY_FORMAT}`);
  }
  return secretsKeyFromBytes(key);
}

/** A fresh key in the base64 form parseSecretsKey accepts (for the CLI and docs). */
export function generateSecretsKey(): string {
  return randomBytes(SECRETS_KEY_BYTES).toString('base64');
}
