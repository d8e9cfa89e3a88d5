import { describe, expect, it } from 'vitest';
import { generateApiKey, parseApiKey } from './api-key-format.js';
import { hashApiKeySecret, verifyApiKeySecret } from './api-key-hash.js';

describe('API key format', () => {
  it('generates wiu_<16 base32>_<43 base64url> keys that parse back into prefix and secret', () => {
    const generated = generateApiKey();
    expect(generated.key).toMatch(/^wiu_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(generated.secret, 'base64url')).toHaveLength(32);
    expect(parseApiKey(generated.key)).toEqual({ prefix: generated.prefix, secret: generated.secret });
  });

  it('generates a different key every time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateApiKey().key));
    expect(keys.size).toBe(50);
  });

  it('rejects malformed keys', () => {
    const { key } = generateApiKey();
    for (const bad of ['', 'wiu_', key.slice(0, -1), `${key}x`, key.replace('wiu_', 'sk_'), ` ${key}`]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it('hashes with the pepper, so another pepper does not verify', () => {
    const { prefix, secret } = generateApiKey();
    const hash = hashApiKeySecret('pepper-a', prefix, secret);
    expect(hash).toHaveLength(32);
    expect(verifyApiKeySecret('pepper-a', prefix, secret, hash)).toBe(true);
    expect(verifyApiKeySecret('pepper-b', prefix, secret, hash)).toBe(false);
    expect(verifyApiKeySecret('pepper-a', prefix, `${secret.slice(0, -1)}A`, hash)).toBe(secret.endsWith('A'));
    expect(verifyApiKeySecret('pepper-a', prefix, secret, hash.subarray(0, 16))).toBe(false);
  });
});
