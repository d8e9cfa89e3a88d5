/*
 * Turns a bearer key into a principal without a database write per request.
 * - A short positive cache, keyed by prefix, saves the lookup; the secret is still verified (HMAC,
 *   constant-time compare) and expiry re-checked against the clock on every call, so the cache never
 *   widens what a key can do. Only a revocation made in another process can outlive it, by at most the TTL.
 * - `invalidate(keyId)` drops a key at once; revokeApiKey/deleteInstance call it after their commit.
 * - A short negative cache remembers prefixes that name no key, so a caller repeating an unknown key costs
 *   no lookup. A key created later cannot be hidden by it: a prefix is 80 random bits drawn when the key is
 *   made, so it is in the negative cache only if someone presented it before it existed, which means they
 *   guessed it. No invalidation on create is therefore needed, in this process or another.
 * - last use is collected in memory and written by `flushLastUsed()` in one batched `touch()`; the server
 *   calls it on an interval and at shutdown.
 * Every failure is the same `unauthenticated` error with one generic message: it never says which check
 * failed and never echoes the key.
 */
import { DomainError, type Clock, type Principal } from '../shared/index.js';
import type { TenancyRepositories } from './tenancy-repositories.js';
import { parseApiKey } from './api-key-format.js';
import { constantTimeEqual, verifyApiKeySecret, type HashComparator, type Pepper } from './api-key-hash.js';

export interface ApiKeyAuthenticatorDeps {
  /** Repositories outside a transaction (`uow.repos`). */
  readonly repos: Pick<TenancyRepositories, 'apiKeys' | 'instances'>;
  readonly clock: Clock;
  readonly pepper: Pepper;
  /** How long a verified key's record is reused; default 5000 ms, 0 disables the cache. */
  readonly cacheTtlMs?: number | undefined;
  /** Bound on cached keys; the oldest entry is dropped first. Default 10 000. */
  readonly maxCacheEntries?: number | undefined;
  /** How long a prefix that names no key is remembered; default 60 000 ms, 0 disables. */
  readonly unknownPrefixTtlMs?: number | undefined;
  /** Bound on remembered unknown prefixes; the oldest entry is dropped first. Default 10 000. */
  readonly maxUnknownPrefixes?: number | undefined;
  /** Hash comparison; default `crypto.timingSafeEqual`. Injectable so tests can observe it. */
  readonly compare?: HashComparator | undefined;
}

export interface ApiKeyAuthenticator {
  /** The key's principal. Throws `DomainError('unauthenticated')` for any unusable key. */
  authenticate(rawKey: string): Promise<Principal>;
  /** Forgets a key so its next use is checked against the database. */
  invalidate(keyId: string): void;
  /** Writes the collected last-use times in one `touch()`; on failure they are kept for the next flush. */
  flushLastUsed(): Promise<void>;
}

interface CachedKey {
  readonly principal: Principal;
  readonly secretHash: Buffer;
  readonly expiresAt: Date | null;
  readonly cachedUntil: number;
}

export const DEFAULT_API_KEY_CACHE_TTL_MS = 5_000;
export const DEFAULT_UNKNOWN_PREFIX_TTL_MS = 60_000;
const INVALID_KEY_MESSAGE = 'Missing, invalid, expired or revoked API key.';

const unauthenticated = (): DomainError => new DomainError('unauthenticated', INVALID_KEY_MESSAGE);

export function createApiKeyAuthenticator(deps: ApiKeyAuthenticatorDeps): ApiKeyAuthenticator {
  const { repos, clock, pepper } = deps;
  const ttlMs = deps.cacheTtlMs ?? DEFAULT_API_KEY_CACHE_TTL_MS;
  const maxEntries = deps.maxCacheEntries ?? 10_000;
  const compare = deps.compare ?? constantTimeEqual;
  const cache = new Map<string, CachedKey>();
  const unknownTtlMs = deps.unknownPrefixTtlMs ?? DEFAULT_UNKNOWN_PREFIX_TTL_MS;
  const maxUnknown = deps.maxUnknownPrefixes ?? 10_000;
  /** Prefix → until when it is known to name no key. */
  const unknown = new Map<string, number>();

  function rememberUnknown(prefix: string, now: number): void {
    if (unknownTtlMs <= 0) return;
    unknown.delete(prefix);
    if (unknown.size >= maxUnknown) unknown.delete(unknown.keys().next().value!);
    unknown.set(prefix, now + unknownTtlMs);
  }
  let lastUsed = new Map<string, Date>();

  async function load(prefix: string, now: number): Promise<CachedKey | null> {
    const cached = cache.get(prefix);
    if (cached !== undefined && cached.cachedUntil > now) return cached;
    cache.delete(prefix);
    const unknownUntil = unknown.get(prefix);
    if (unknownUntil !== undefined && unknownUntil > now) return null;
    unknown.delete(prefix);
    const key = await repos.apiKeys.findByPrefix(prefix);
    if (key === null) {
      rememberUnknown(prefix, now);
      return null;
    }
    if (key.revokedAt !== null) return null;
    if (key.instanceId !== null && (await repos.instances.findById(key.customerId, key.instanceId)) === null) {
      return null; // bound to a deleted instance
    }
    const entry: CachedKey = {
      principal: { customerId: key.customerId, keyId: key.id, instanceId: key.instanceId },
      secretHash: key.secretHash,
      expiresAt: key.expiresAt,
      cachedUntil: now + ttlMs,
    };
    if (ttlMs > 0) {
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(prefix, entry);
    }
    return entry;
  }

  return {
    async authenticate(rawKey) {
      const parts = parseApiKey(rawKey);
      if (parts === null) throw unauthenticated();
      const now = clock.now();
      const entry = await load(parts.prefix, now.getTime());
      if (entry === null) throw unauthenticated();
      if (!verifyApiKeySecret(pepper, parts.prefix, parts.secret, entry.secretHash, compare)) {
        throw unauthenticated();
      }
      if (entry.expiresAt !== null && entry.expiresAt.getTime() <= now.getTime()) throw unauthenticated();
      lastUsed.set(entry.principal.keyId, now);
      return entry.principal;
    },

    invalidate(keyId) {
      for (const [prefix, entry] of cache) {
        if (entry.principal.keyId === keyId) cache.delete(prefix);
      }
    },

    async flushLastUsed() {
      if (lastUsed.size === 0) return;
      const batch = lastUsed;
      lastUsed = new Map();
      try {
        await repos.apiKeys.touch(batch);
      } catch (error) {
        for (const [keyId, at] of batch) {
          const newer = lastUsed.get(keyId);
          if (newer === undefined || newer < at) lastUsed.set(keyId, at);
        }
        throw error;
      }
    },
  };
}
