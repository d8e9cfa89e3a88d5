import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError, type SealedSecret } from './secret-box.js';
import { secretsKeyFromBytes } from './secrets-key.js';
import { generateSigningSecret } from './signing-secret.js';

const newKey = () => secretsKeyFromBytes(randomBytes(32));

function errorOf(action: () => unknown): SecretBoxError {
  try {
    action();
  } catch (error) {
    if (error instanceof SecretBoxError) return error;
    throw error;
  }
  throw new Error('expected a SecretBoxError');
}

/** Flips one bit of the packed bytes at `index` (0-11 iv, 12-27 tag, then ciphertext). */
function flipBit(sealed: SealedSecret, index: number): SealedSecret {
  const packed = Buffer.from(sealed.ciphertext.slice(3), 'base64url');
  packed[index]! ^= 1;
  return { ...sealed, ciphertext: `v1.${packed.toString('base64url')}` };
}

describe('createSecretBox', () => {
  const plaintext = generateSigningSecret();

  it('seals under the current key into a versioned text without the plaintext, and opens it again', () => {
    const key = newKey();
    const box = createSecretBox({ current: key });
    const sealed = box.seal(plaintext);
    expect(sealed.keyId).toBe(key.id);
    expect(sealed.ciphertext).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed.ciphertext).not.toContain(plaintext.slice(6));
    expect(Buffer.from(sealed.ciphertext.slice(3), 'base64url').includes(Buffer.from(plaintext))).toBe(false);
    expect(box.open(sealed)).toBe(plaintext);
  });

  it('uses a fresh IV for every seal', () => {
    const box = createSecretBox({ current: newKey() });
    expect(box.seal(plaintext).ciphertext).not.toBe(box.seal(plaintext).ciphertext);
  });

  it('opens secrets sealed under the previous key and reseals them under the current one', () => {
    const old = newKey();
    const sealedBefore = createSecretBox({ current: old }).seal(plaintext);
    const current = newKey();
    const box = createSecretBox({ current, previous: old });
    expect(box.open(sealedBefore)).toBe(plaintext);
    expect(box.needsReseal(sealedBefore.keyId)).toBe(true);
    const resealed = box.reseal(sealedBefore);
    expect(resealed.keyId).toBe(current.id);
    expect(box.needsReseal(resealed.keyId)).toBe(false);
    expect(box.reseal(resealed)).toBe(resealed);
    expect(createSecretBox({ current }).open(resealed)).toBe(plaintext);
  });

  it('refuses an unknown key id with a clear error that names the key ids only', () => {
    const sealed = createSecretBox({ current: newKey() }).seal(plaintext);
    const box = createSecretBox({ current: newKey(), previous: newKey() });
    const error = errorOf(() => box.open(sealed));
    expect(error.reason).toBe('unknown_key');
    expect(error.message).toContain(sealed.keyId);
    expect(error.message).toContain('SECRETS_KEY_PREVIOUS');
  });

  it.each([
    ['the IV', 0],
    ['the tag', 12],
    ['the ciphertext', 30],
  ])('detects a flipped bit in %s without revealing anything', (_part, index) => {
    const box = createSecretBox({ current: newKey() });
    const error = errorOf(() => box.open(flipBit(box.seal(plaintext), index)));
    expect(error.reason).toBe('tampered');
    expect(error.message).not.toContain(plaintext.slice(6, 16));
  });

  it('refuses a ciphertext presented under another known key id', () => {
    const first = newKey();
    const second = newKey();
    const box = createSecretBox({ current: first, previous: second });
    const sealed = box.seal(plaintext);
    expect(errorOf(() => box.open({ ...sealed, keyId: second.id })).reason).toBe('tampered');
  });

  it('refuses a truncated or unversioned text as malformed', () => {
    const box = createSecretBox({ current: newKey() });
    const sealed = box.seal(plaintext);
    expect(errorOf(() => box.open({ ...sealed, ciphertext: 'v1.AAAA' })).reason).toBe('malformed');
    expect(errorOf(() => box.open({ ...sealed, ciphertext: sealed.ciphertext.slice(3) })).reason).toBe('malformed');
  });

  it('refuses keys that are not 32 bytes, or two different keys with one id', () => {
    expect(() => createSecretBox({ current: { id: 'short', key: randomBytes(16) } })).toThrow(/32 bytes/);
    const key = newKey();
    expect(() => createSecretBox({ current: key, previous: { id: key.id, key: randomBytes(32) } })).toThrow(/share the id/);
    expect(() => createSecretBox({ current: key, previous: key })).not.toThrow();
  });
});
