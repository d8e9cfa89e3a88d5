/*
 * Prefixed, time-ordered ids (ULID-style): `<prefix>_<10 chars of milliseconds><16 chars of randomness>`
 * in Crockford base32. Ids made by one process are strictly increasing even within one millisecond (the
 * random part is incremented, as ULID's monotonic mode does), so `ORDER BY id` is creation order and an id
 * is a usable pagination cursor.
 */
import { randomBytes } from 'node:crypto';

export const ID_PREFIXES = {
  customer: 'cust',
  apiKey: 'key',
  instance: 'inst',
  message: 'msg',
  action: 'act',
  webhookEndpoint: 'wh',
  event: 'evt',
  delivery: 'dlv',
  attempt: 'att',
  audit: 'aud',
  request: 'req',
  node: 'node',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type IdPrefix = (typeof ID_PREFIXES)[IdKind];

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 16;

let lastTime = -1;
let lastRandom: number[] = [];

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < TIME_LENGTH; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function freshRandom(): number[] {
  const bytes = randomBytes(RANDOM_LENGTH);
  return Array.from(bytes, (b) => b % 32);
}

function increment(digits: number[]): number[] {
  const next = digits.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]! += 1;
      return next;
    }
    next[i] = 0;
  }
  return freshRandom(); // overflow after 32^16 ids in one millisecond: practically unreachable
}

/** The part of an id of `kind` made at `ms` that comes before its random digits: `dlv_01JB...` (prefix and time). */
export function idTimePrefix(kind: IdKind, ms: number): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(ms)}`;
}

/** A new id of the given kind, e.g. `newId('instance')` → `inst_01JB...`. */
export function newId(kind: IdKind, now: number = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = increment(lastRandom);
  } else {
    lastTime = now;
    lastRandom = freshRandom();
  }
  return `${ID_PREFIXES[kind]}_${encodeTime(lastTime)}${lastRandom.map((d) => ALPHABET[d]).join('')}`;
}

const ID_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Whether `value` is a well-formed id of the given kind (say, to answer 404 without a query). */
export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ID_BODY.test(value.slice(prefix.length));
}
