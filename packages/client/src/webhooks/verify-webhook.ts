/*
 * Verifies a webhook delivery the way the server signs it, with nothing but Web Crypto (Node 20+, browsers,
 * edge runtimes). Two schemes, both HMAC-SHA256 keyed by the base64-decoded part of the `whsec_...` secret:
 *
 * - Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` over
 *   "<webhook-id>.<webhook-timestamp>.<raw body>" (space-separated entries during a secret rotation);
 * - WhatIsUp's own: `X-WhatIsUp-Signature: t=<unix>,v1=<hex>` over "<t>.<raw body>" (one `v1=` per secret).
 *
 * A delivery passes when a signature of a scheme it carries matches one of the secrets you hold and its
 * timestamp is within the tolerance of now (default 5 minutes; both sides of now, so a clock running ahead
 * is tolerated too). Signatures are compared in constant time. Verify the raw body bytes as they arrived,
 * before any JSON parsing: re-serialised JSON need not be the bytes that were signed.
 */
import type { WebhookEvent } from '@whatisup/core';

export type WebhookScheme = 'standard' | 'whatisup';

/** Node's IncomingHttpHeaders, a fetch Headers, or a plain object (names matched case-insensitively). */
export type HeadersLike = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyWebhookOptions {
  /** The endpoint's `whsec_...` secret; several during your own rotation (any may match). */
  readonly secret: string | readonly string[];
  /** How far the signed timestamp may be from now, in seconds. Default 300. */
  readonly toleranceSeconds?: number;
  /** Which schemes to accept. Default both: a delivery carries both, and either is enough. */
  readonly schemes?: readonly WebhookScheme[];
  /** The current time in milliseconds (tests). Default `Date.now`. */
  readonly now?: () => number;
}

export type WebhookVerificationReason =
  | 'missing_signature'
  | 'invalid_secret'
  | 'invalid_timestamp'
  | 'timestamp_out_of_tolerance'
  | 'signature_mismatch'
  | 'invalid_body';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';

  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_TOLERANCE_SECONDS = 300;
const SECRET_PREFIX = 'whsec_';
/** Web Crypto's key type, named without depending on the DOM or Node typings' global. */
type HmacKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;
const encoder = new TextEncoder();

/**
 * Checks the signature and returns the parsed event; throws WebhookVerificationError (with a `reason`)
 * when the delivery must be rejected. Answer such a request 400 and do not act on it.
 */
export async function verifyWebhook(rawBody: string | Uint8Array, headers: HeadersLike, options: VerifyWebhookOptions): Promise<WebhookEvent> {
  const body = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
  const schemes = options.schemes ?? ['standard', 'whatisup'];
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const keys = await Promise.all((typeof options.secret === 'string' ? [options.secret] : options.secret).map(importSecret));
  if (keys.length === 0) throw new WebhookVerificationError('invalid_secret', 'No signing secret was given.');

  const candidates = schemes.map((scheme) => signedParts(scheme, headers)).filter((parts) => parts !== null);
  if (candidates.length === 0) {
    throw new WebhookVerificationError('missing_signature', `No signature headers of the accepted schemes (${schemes.join(', ')}).`);
  }
  let failure: WebhookVerificationError | null = null;
  for (const parts of candidates) {
    const timestamp = /^\d{1,12}$/.test(parts.timestamp) ? Number(parts.timestamp) : NaN;
    if (Number.isNaN(timestamp)) {
      failure ??= new WebhookVerificationError('invalid_timestamp', `The ${parts.scheme} timestamp is not unix seconds.`);
      continue;
    }
    if (Math.abs(nowSeconds - timestamp) > tolerance) {
      failure ??= new WebhookVerificationError(
        'timestamp_out_of_tolerance',
        `The ${parts.scheme} timestamp is ${nowSeconds - timestamp} s from now; at most ${tolerance} s is accepted.`,
      );
      continue;
    }
    const message = concat(encoder.encode(parts.prefix), body);
    if (await anyMatches(keys, message, parts.signatures)) return parseEvent(body);
    failure = new WebhookVerificationError('signature_mismatch', `No ${parts.scheme} signature matches the secret.`);
  }
  throw failure ?? new WebhookVerificationError('signature_mismatch', 'No signature matches the secret.');
}

/** `verifyWebhook` as a yes/no answer, for code that only needs to decide. */
export async function isValidWebhook(rawBody: string | Uint8Array, headers: HeadersLike, options: VerifyWebhookOptions): Promise<boolean> {
  try {
    await verifyWebhook(rawBody, headers, options);
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

interface SignedParts {
  readonly scheme: WebhookScheme;
  readonly timestamp: string;
  /** What precedes the body in the signed text. */
  readonly prefix: string;
  /** Candidate signatures, decoded; undecodable ones are dropped (they cannot match). */
  readonly signatures: Uint8Array[];
}

function signedParts(scheme: WebhookScheme, headers: HeadersLike): SignedParts | null {
  if (scheme === 'standard') {
    const id = header(headers, 'webhook-id');
    const timestamp = header(headers, 'webhook-timestamp');
    const signature = header(headers, 'webhook-signature');
    if (id === null || timestamp === null || signature === null) return null;
    const signatures = signature
      .split(' ')
      .filter((entry) => entry.startsWith('v1,'))
      .map((entry) => fromBase64(entry.slice(3)))
      .filter((bytes) => bytes !== null);
    return { scheme, timestamp, prefix: `${id}.${timestamp}.`, signatures };
  }
  const signature = header(headers, 'x-whatisup-signature');
  if (signature === null) return null;
  const pairs = signature.split(',').map((part) => {
    const at = part.indexOf('=');
    return at === -1 ? ['', ''] : [part.slice(0, at).trim(), part.slice(at + 1).trim()];
  });
  const timestamp = pairs.find(([name]) => name === 't')?.[1] ?? '';
  const signatures = pairs
    .filter(([name]) => name === 'v1')
    .map(([, value]) => fromHex(value ?? ''))
    .filter((bytes) => bytes !== null);
  return { scheme, timestamp, prefix: `${timestamp}.`, signatures };
}

function header(headers: HeadersLike, name: string): string | null {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  for (const [key, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return typeof value === 'string' ? value : value.join(name === 'webhook-signature' ? ' ' : ',');
  }
  return null;
}

async function importSecret(secret: string): Promise<HmacKey> {
  const bytes = secret.startsWith(SECRET_PREFIX) ? fromBase64(secret.slice(SECRET_PREFIX.length)) : null;
  if (bytes === null || bytes.length === 0) {
    throw new WebhookVerificationError('invalid_secret', `A signing secret is "${SECRET_PREFIX}" followed by base64.`);
  }
  return globalThis.crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

async function anyMatches(keys: readonly HmacKey[], message: Uint8Array, signatures: readonly Uint8Array[]): Promise<boolean> {
  let matched = false;
  for (const key of keys) {
    const expected = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, message));
    // Every candidate is compared in full: how many there are and where one matches does not show in the time.
    for (const signature of signatures) matched = constantTimeEqual(expected, signature) || matched;
  }
  return matched;
}

/** Equal lengths are compared byte by byte without an early exit; a length is not a secret. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

function parseEvent(body: Uint8Array): WebhookEvent {
  try {
    return JSON.parse(new TextDecoder().decode(body)) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError('invalid_body', 'The signed body is not JSON.');
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function fromHex(text: string): Uint8Array | null {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}
