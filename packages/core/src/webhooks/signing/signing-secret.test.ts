import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../shared/index.js';
import { decodeSigningSecret, generateSigningSecret, validateSigningSecret } from './signing-secret.js';

const secretOf = (bytes: number): string => `whsec_${randomBytes(bytes).toString('base64')}`;

function invalidInputOf(secret: string): unknown {
  try {
    validateSigningSecret(secret);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('generateSigningSecret', () => {
  it('makes a whsec_ secret of 32 random bytes that validates', () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(decodeSigningSecret(secret)).toHaveLength(32);
    expect(validateSigningSecret(secret)).toBe(secret);
    expect(generateSigningSecret()).not.toBe(secret);
  });
});

describe('validateSigningSecret', () => {
  it('accepts 24 to 64 bytes', () => {
    for (const bytes of [24, 25, 32, 48, 64]) expect(validateSigningSecret(secretOf(bytes))).toMatch(/^whsec_/);
  });

  it.each([
    ['too short (23 bytes)', secretOf(23)],
    ['too long (65 bytes)', secretOf(65)],
    ['missing the prefix', randomBytes(32).toString('base64')],
    ['a wrong prefix', `whsek_${randomBytes(32).toString('base64')}`],
    ['empty after the prefix', 'whsec_'],
    ['base64url instead of base64', `whsec_${Buffer.alloc(32, 0xfb).toString('base64url')}`],
    ['missing padding', secretOf(32).replace(/=$/, '')],
    ['non-canonical trailing bits', `whsec_${randomBytes(32).toString('base64').slice(0, 42)}B=`],
    ['whitespace inside', `whsec_${randomBytes(32).toString('base64').replace(/^(.{8})/, '$1 ')}`],
  ])('refuses a secret %s with invalid_input, without echoing it', (_label, secret) => {
    const error = invalidInputOf(secret);
    expect(isDomainError(error, 'invalid_input')).toBe(true);
    const fragment = secret.replace(/^whsec_/, '').slice(0, 12);
    if (fragment.length > 0) expect((error as Error).message).not.toContain(fragment);
    expect(JSON.stringify((error as { details: unknown }).details)).toBe('{"field":"signing_secret"}');
  });
});

describe('decodeSigningSecret', () => {
  it('returns the bytes after whsec_, base64-decoded', () => {
    const key = randomBytes(32);
    expect(decodeSigningSecret(`whsec_${key.toString('base64')}`).equals(key)).toBe(true);
  });

  it('throws without the secret in the message for a malformed stored secret', () => {
    expect(() => decodeSigningSecret('whsec_c2hvcnQ=')).toThrow(/malformed/);
    expect(() => decodeSigningSecret('whsec_c2hvcnQ=')).not.toThrow(/c2hvcnQ/);
  });
});
