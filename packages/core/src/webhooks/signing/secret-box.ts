/*
 * Seals webhook signing secrets for storage (AES-256-GCM). A sealed secret is a pair: the id of the key
 * that sealed it (stored in its own column) and the ciphertext text `v2.<base64url(iv | tag | ct)>` with a
 * fresh 12-byte IV per seal and the 16-byte tag. The version prefix lets the format change without
 * guessing. Additional authenticated data binds the key id and what the secret belongs to (`boundTo`, the
 * endpoint id): a ciphertext presented under another key id, or copied onto another endpoint by someone
 * who can write the database, fails to open rather than signing for the wrong endpoint.
 *
 * `v1.` texts (sealed before the binding) bind the key id only; they still open, `needsReseal` reports
 * them, and `whatisup secrets rotate` re-seals them as v2.
 *
 * Rotation: the box holds the current key and optionally the previous one. `open` accepts either;
 * `seal` always uses the current one; `needsReseal` tells the re-encryption command what to rewrite.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { secretsKeyFromBytes, type SecretsKey } from './secrets-key.js';

export interface SealedSecret {
  readonly keyId: string;
  readonly ciphertext: string;
}

export interface SecretBox {
  /** Seals under the current key, bound to `boundTo` (the id of the row that stores it). */
  seal(plaintext: string, boundTo: string): SealedSecret;
  /**
   * The plaintext. Throws SecretBoxError for an unknown key id, a malformed text or a failed tag check
   * (which includes a v2 secret opened for another `boundTo`).
   */
  open(sealed: SealedSecret, boundTo: string): string;
  /** Whether the secret should be sealed again: under another key, or in the unbound v1 format. */
  needsReseal(sealed: SealedSecret): boolean;
  /** Opens and seals again under the current key, bound; returns the input unchanged when already current. */
  reseal(sealed: SealedSecret, boundTo: string): SealedSecret;
}

export type SecretBoxErrorReason = 'unknown_key' | 'malformed' | 'tampered';

/** Why a sealed secret could not be opened. Never carries plaintext or key material. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';

  constructor(
    readonly reason: SecretBoxErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface SecretBoxKeys {
  readonly current: SecretsKey;
  readonly previous?: SecretsKey | undefined;
}

const VERSION = 'v2.';
const LEGACY_VERSION = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

function checked(entry: SecretsKey): SecretsKey {
  if (entry.id.length === 0) throw new Error('A secrets key needs a non-empty id.');
  return { id: entry.id, key: secretsKeyFromBytes(entry.key).key }; // throws unless 32 bytes
}

const legacyAad = (keyId: string): Buffer => Buffer.from(`whatisup-secret:v1:${keyId}`, 'utf8');
// The key id has no colon (a hex digest); boundTo comes last, so the two cannot be confused.
const aad = (keyId: string, boundTo: string): Buffer => Buffer.from(`whatisup-secret:v2:${keyId}:${boundTo}`, 'utf8');

/**
 * A box over the current key and, during a rotation, the previous one. Keys are normally made by
 * parseSecretsKey (id derived from the key); throws when a key is not 32 bytes or when both keys share an
 * id but differ.
 */
export function createSecretBox(keys: SecretBoxKeys): SecretBox {
  const current = checked(keys.current);
  const byId = new Map<string, Buffer>([[current.id, current.key]]);
  if (keys.previous !== undefined) {
    const previous = checked(keys.previous);
    if (previous.id === current.id && !previous.key.equals(current.key)) {
      throw new Error(`The current and previous secrets keys share the id ${current.id} but differ.`);
    }
    if (previous.id !== current.id) byId.set(previous.id, previous.key);
  }
  const currentId = current.id;
  const currentKey = current.key;

  function seal(plaintext: string, boundTo: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(currentId, boundTo));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const packed = Buffer.concat([iv, cipher.getAuthTag(), ct]);
    return { keyId: currentId, ciphertext: VERSION + packed.toString('base64url') };
  }

  function open(sealed: SealedSecret, boundTo: string): string {
    const key = byId.get(sealed.keyId);
    if (key === undefined) {
      throw new SecretBoxError(
        'unknown_key',
        `A secret is sealed under key ${sealed.keyId}, which is neither SECRETS_KEY (${currentId}) nor SECRETS_KEY_PREVIOUS.`,
      );
    }
    const legacy = sealed.ciphertext.startsWith(LEGACY_VERSION);
    if (!legacy && !sealed.ciphertext.startsWith(VERSION)) {
      throw new SecretBoxError('malformed', 'A sealed secret has an unknown format version.');
    }
    const packed = Buffer.from(sealed.ciphertext.slice(VERSION.length), 'base64url');
    if (packed.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('malformed', 'A sealed secret is truncated.');
    const decipher = createDecipheriv(ALGORITHM, key, packed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(legacy ? legacyAad(sealed.keyId) : aad(sealed.keyId, boundTo));
    decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'tampered',
        `A secret sealed under key ${sealed.keyId} failed its integrity check (altered, or stored on another row than it was sealed for).`,
      );
    }
  }

  const needsReseal = (sealed: SealedSecret): boolean => sealed.keyId !== currentId || sealed.ciphertext.startsWith(LEGACY_VERSION);

  return {
    seal,
    open,
    needsReseal,
    reseal: (sealed, boundTo) => (needsReseal(sealed) ? seal(open(sealed, boundTo), boundTo) : sealed),
  };
}
