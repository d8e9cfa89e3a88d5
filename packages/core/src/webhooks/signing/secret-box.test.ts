import { createCipheriv, randomBytes } from 'node:crypto';
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
  return { ...sealed, ciphertext: `${sealed.ciphertext.slice(0, 3)}${packed.toString('base64url')}` };
}

/** A secret as the unbound v1 format sealed it (AAD: the key id only). */
function sealV1(key: { id: string; key: Buffer }, text: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`whatisup-secret:v1:${key.id}`, 'utf8'));
  const ct = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return { keyId: key.id, ciphertext: `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}` };
}

describe('createSecretBox', () => {
  const plaintext = generateSigningSecret();

  it('seals under the current key into a versioned text without the plaintext, and opens it again', () => {
    const key = newKey();
    const box = createSecretBox({ current: key });
    const sealed = box.seal(plaintext, 'wh_1');
    expect(sealed.keyId).toBe(key.id);
    expect(sealed.ciphertext).toMatch(/^v2\.[A-Za-z0-9_-]+$/);
    expect(sealed.ciphertext).not.toContain(plaintext.slice(6));
    expect(Buffer.from(sealed.ciphertext.slice(3), 'base64url').includes(Buffer.from(plaintext))).toBe(false);
    expect(box.open(sealed, 'wh_1')).toBe(plaintext);
  });

  it('uses a fresh IV for every seal', () => {
    const box = createSecretBox({ current: newKey() });
    expect(box.seal(plaintext, 'wh_1').ciphertext).not.toBe(box.seal(plaintext, 'wh_1').ciphertext);
  });

  it('opens secrets sealed under the previous key and reseals them under the current one', () => {
    const old = newKey();
    const sealedBefore = createSecretBox({ current: old }).seal(plaintext, 'wh_1');
    const current = newKey();
    const box = createSecretBox({ current, previous: old });
    expect(box.open(sealedBefore, 'wh_1')).toBe(plaintext);
    expect(box.needsReseal(sealedBefore)).toBe(true);
    const resealed = box.reseal(sealedBefore, 'wh_1');
    expect(resealed.keyId).toBe(current.id);
    expect(box.needsReseal(resealed)).toBe(false);
    expect(box.reseal(resealed, 'wh_1')).toBe(resealed);
    expect(createSecretBox({ current }).open(resealed, 'wh_1')).toBe(plaintext);
  });

  it('refuses an unknown key id with a clear error that names the key ids only', () => {
    const sealed = createSecretBox({ current: newKey() }).seal(plaintext, 'wh_1');
    const box = createSecretBox({ current: newKey(), previous: newKey() });
    const error = errorOf(() => box.open(sealed, 'wh_1'));
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
    const error = errorOf(() => box.open(flipBit(box.seal(plaintext, 'wh_1'), index), 'wh_1'));
    expect(error.reason).toBe('tampered');
    expect(error.message).not.toContain(plaintext.slice(6, 16));
  });

  it('refuses a ciphertext presented under another known key id', () => {
    const first = newKey();
    const second = newKey();
    const box = createSecretBox({ current: first, previous: second });
    const sealed = box.seal(plaintext, 'wh_1');
    expect(errorOf(() => box.open({ ...sealed, keyId: second.id }, 'wh_1')).reason).toBe('tampered');
  });

  it('refuses a truncated or unversioned text as malformed', () => {
    const box = createSecretBox({ current: newKey() });
    const sealed = box.seal(plaintext, 'wh_1');
    expect(errorOf(() => box.open({ ...sealed, ciphertext: 'v1.AAAA' }, 'wh_1')).reason).toBe('malformed');
    expect(errorOf(() => box.open({ ...sealed, ciphertext: sealed.ciphertext.slice(3) }, 'wh_1')).reason).toBe('malformed');
  });

  it('binds a secret to what it was sealed for: moved to another endpoint, it does not open', () => {
    const box = createSecretBox({ current: newKey() });
    const sealed = box.seal(plaintext, 'wh_victim');
    expect(box.open(sealed, 'wh_victim')).toBe(plaintext);
    expect(errorOf(() => box.open(sealed, 'wh_attacker')).reason).toBe('tampered');
  });

  it('still opens a v1 secret sealed before the binding, and reseals it bound', () => {
    const key = newKey();
    const box = createSecretBox({ current: key });
    const legacy = sealV1(key, plaintext);
    expect(box.open(legacy, 'wh_1')).toBe(plaintext);
    expect(box.needsReseal(legacy)).toBe(true);
    const resealed = box.reseal(legacy, 'wh_1');
    expect(resealed.ciphertext.startsWith('v2.')).toBe(true);
    expect(box.needsReseal(resealed)).toBe(false);
    expect(box.open(resealed, 'wh_1')).toBe(plaintext);
    expect(errorOf(() => box.open(resealed, 'wh_2')).reason).toBe('tampered');
  });

  it('refuses keys that are not 32 bytes, or two different keys with one id', () => {
    expect(() => createSecretBox({ current: { id: 'short', key: randomBytes(16) } })).toThrow(/32 bytes/);
    const key = newKey();
    expect(() => createSecretBox({ current: key, previous: { id: key.id, key: randomBytes(32) } })).toThrow(/share the id/);
    expect(() => createSecretBox({ current: key, previous: key })).not.toThrow();
  });
});
