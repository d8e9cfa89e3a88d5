import { createHmac, timingSafeEqual } from 'node:crypto';

/** The server-wide secret mixed into every key hash (`API_KEY_PEPPER`): a stolen database alone is useless. */
export type Pepper = string | Buffer;

/** Compares two hashes; must take the same time whatever their content. */
export type HashComparator = (a: Buffer, b: Buffer) => boolean;

/** HMAC-SHA256(pepper, `${prefix}|${secret}`): the only form of a key that is stored. */
export function hashApiKeySecret(pepper: Pepper, prefix: string, secret: string): Buffer {
  return createHmac('sha256', pepper).update(`${prefix}|${secret}`).digest();
}

/** Constant-time equality (`crypto.timingSafeEqual`); different lengths are simply unequal. */
export const constantTimeEqual: HashComparator = (a, b) => a.length === b.length && timingSafeEqual(a, b);

/** Whether `secret` matches the stored hash, compared in constant time. */
export function verifyApiKeySecret(
  pepper: Pepper,
  prefix: string,
  secret: string,
  storedHash: Buffer,
  equals: HashComparator = constantTimeEqual,
): boolean {
  return equals(hashApiKeySecret(pepper, prefix, secret), storedHash);
}
