/*
 * The token in a signed media URL (`/v1/media/<token>`): `<payload>.<signature>`, both base64url, where the
 * payload is JSON {c: customer id, i: instance id, m: media id, e: expiry in unix seconds, h: the node that
 * holds the bytes, absent when every node reads them from a shared store} and the signature is
 * HMAC-SHA256(key, payload). The customer id binds the URL to its tenant and the instance id to the
 * instance it arrived on (a key bound to another instance cannot read it); the expiry makes it
 * short-lived; the signature makes both unforgeable. The key comes from configuration, so tokens survive a
 * restart (the media does not: such a token then reads as expired, which is what happened).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface MediaTokenClaims {
  readonly customerId: string;
  readonly instanceId: string;
  readonly mediaId: string;
  readonly expiresAt: Date;
  /** The node whose memory holds the bytes; null when any node can read them (a shared store). */
  readonly holder: string | null;
}

const sign = (key: Uint8Array, payload: string): Buffer => createHmac('sha256', key).update(payload).digest();

/** Signs the claims; `holder` defaults to null (the bytes are in a shared store). */
export function signMediaToken(key: Uint8Array, claims: Omit<MediaTokenClaims, 'holder'> & { readonly holder?: string | null }): string {
  const payload = Buffer.from(
    JSON.stringify({
      c: claims.customerId,
      i: claims.instanceId,
      m: claims.mediaId,
      e: Math.floor(claims.expiresAt.getTime() / 1000),
      ...(claims.holder == null ? {} : { h: claims.holder }),
    }),
  ).toString('base64url');
  return `${payload}.${sign(key, payload).toString('base64url')}`;
}

/** The claims of a token signed with `key`, or null when it is malformed or its signature is wrong. */
export function verifyMediaToken(key: Uint8Array, token: string): MediaTokenClaims | null {
  const [payload, signature, extra] = token.split('.');
  if (payload === undefined || signature === undefined || extra !== undefined) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = sign(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const { c, i, m, e, h } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof c !== 'string' || typeof i !== 'string' || typeof m !== 'string' || typeof e !== 'number') return null;
    if (h !== undefined && typeof h !== 'string') return null;
    return { customerId: c, instanceId: i, mediaId: m, expiresAt: new Date(e * 1000), holder: h ?? null };
  } catch {
    return null;
  }
}
