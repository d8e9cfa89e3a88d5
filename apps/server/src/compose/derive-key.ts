import { hkdfSync } from 'node:crypto';

/**
 * A 32-byte key for one purpose (signed media URLs, event tokens), derived from SECRETS_KEY with HKDF-SHA256
 * so no extra secret has to be configured and no two purposes share a key. Rotating SECRETS_KEY invalidates
 * what these keys signed; both are short-lived by design (minutes to hours).
 */
export function deriveKey(secretsKey: Buffer, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secretsKey, Buffer.alloc(0), `whatisup:${purpose}`, 32));
}
