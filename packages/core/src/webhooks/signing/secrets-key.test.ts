import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSecretsKey, parseSecretsKey, secretsKeyFromBytes, secretsKeyId } from './secrets-key.js';

describe('parseSecretsKey', () => {
  const bytes = randomBytes(32);

  it('accepts the same 32 bytes as hex, base64 and base64url, with the same id', () => {
    const forms = [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url')];
    const parsed = forms.map((form) => parseSecretsKey(` ${form}\n`));
    for (const key of parsed) {
      expect(key.key.equals(bytes)).toBe(true);
      expect(key.id).toBe(parsed[0]!.id);
    }
  });

  it('derives an 8-hex id from the key, different for different keys', () => {
    const key = parseSecretsKey(bytes.toString('base64'));
    expect(key.id).toMatch(/^[0-9a-f]{8}$/);
    expect(key.id).toBe(secretsKeyId(bytes));
    expect(parseSecretsKey(randomBytes(32).toString('base64')).id).not.toBe(key.id);
  });

  it('does not publish a plain SHA-256 prefix of the key as its id', () => {
    expect(secretsKeyId(bytes)).not.toBe(createHash('sha256').update(bytes).digest('hex').slice(0, 8));
  });

  it.each([
    ['16 bytes of hex', randomBytes(16).toString('hex')],
    ['31 bytes of base64', randomBytes(31).toString('base64')],
    ['33 bytes of base64', randomBytes(33).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
    ['an empty string', ''],
  ])('refuses %s, naming the variable but not the value', (_label, value) => {
    expect(() => parseSecretsKey(value, 'SECRETS_KEY_PREVIOUS')).toThrow(/^SECRETS_KEY_PREVIOUS must be 32 bytes as base64, base64url or hex /);
    if (value !== '') expect(() => parseSecretsKey(value, 'SECRETS_KEY_PREVIOUS')).not.toThrow(value);
  });
});

describe('generateSecretsKey', () => {
  it('makes a fresh key that parses', () => {
    const text = generateSecretsKey();
    expect(parseSecretsKey(text).key).toHaveLength(32);
    expect(generateSecretsKey()).not.toBe(text);
  });
});

describe('secretsKeyFromBytes', () => {
  it('refuses a key that is not 32 bytes', () => {
    expect(() => secretsKeyFromBytes(randomBytes(24))).toThrow(/32 bytes/);
  });
});
