/*
 * Event tokens: short-lived, stateless credentials for `GET /v1/events` and the pairing page, where a
 * browser's EventSource cannot send an Authorization header and an API key must never travel in a URL.
 *
 * Format: `wiuevt_<payload>.<signature>`, both base64url. The payload is JSON
 * {v: 1, c: customer id, i: instance id or null, k: id of the API key that minted it, e: expiry in unix
 * seconds}; the signature is HMAC-SHA256(key, payload) under a key derived from the server's secret
 * (event-token-key.ts). The `wiuevt_` marker keeps a token from ever being mistaken for an API key
 * (`wiu_...`) and lets secret scanners tell the two apart. Stateless means no revocation: a token lives at
 * most an hour (MAX_EVENT_TOKEN_TTL_SECONDS), and only grants reading the event stream.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const EVENT_TOKEN_PREFIX = 'wiuevt_';
const VERSION = 1;

export interface EventTokenClaims {
  readonly customerId: string;
  /** The one instance whose events the token may read; null: every instance of the customer. */
  readonly instanceId: string | null;
  /** The API key that minted the token (for the audit trail and logs; never the key itself). */
  readonly keyId: string;
  readonly expiresAt: Date;
}

const sign = (key: Uint8Array, payload: string): Buffer => createHmac('sha256', key).update(payload).digest();

export function signEventToken(key: Uint8Array, claims: EventTokenClaims): string {
  const body = {
    v: VERSION,
    c: claims.customerId,
    i: claims.instanceId,
    k: claims.keyId,
    e: Math.floor(claims.expiresAt.getTime() / 1000),
  };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${EVENT_TOKEN_PREFIX}${payload}.${sign(key, payload).toString('base64url')}`;
}

/**
 * The claims of a token signed with `key`, expired or not, or null when it is malformed or its signature
 * is wrong. Checking the expiry is the caller's (see verify-event-token.ts).
 */
export function readEventToken(key: Uint8Array, token: string): EventTokenClaims | null {
  if (!token.startsWith(EVENT_TOKEN_PREFIX)) return null;
  const [payload, signature, extra] = token.slice(EVENT_TOKEN_PREFIX.length).split('.');
  if (payload === undefined || signature === undefined || extra !== undefined) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = sign(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const { v, c, i, k, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (v !== VERSION || typeof c !== 'string' || typeof k !== 'string' || typeof e !== 'number') return null;
    if (i !== null && typeof i !== 'string') return null;
    return { customerId: c, instanceId: i, keyId: k, expiresAt: new Date(e * 1000) };
  } catch {
    return null;
  }
}
