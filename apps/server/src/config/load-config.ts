/*
 * The API role's configuration (`whatisup serve`, `pnpm start`, and the CLI's data commands): the common
 * part plus the HTTP API, the key pepper, sessions and messaging. The worker role has its own
 * (load-worker-config.ts).
 */
import path from 'node:path';
import { commonConfig, type CommonConfig } from './common-config.js';
import { envSchema, type ParsedEnv } from './env-schema.js';
import { mediaStoreConfig, type MediaStoreConfig } from './media-store-config.js';
import { ConfigError, parseEnv } from './parse-env.js';
import { Secret } from './secret.js';

export { ConfigError } from './parse-env.js';

export interface Config extends CommonConfig {
  readonly port: number;
  readonly publicUrl: string;
  readonly apiKeyPepper: Secret;
  readonly dataDir: string;
  readonly http: {
    readonly bodyLimitBytes: number;
    readonly apiKeyCacheTtlMs: number;
    /** How long an unknown key prefix is remembered, so repeating it costs no lookup; 0 disables. */
    readonly unknownKeyCacheTtlMs: number;
    /** Fastify's `trustProxy`: whether (and which) X-Forwarded-For hops name the client. */
    readonly trustProxy: boolean | number | string;
    /** Event-stream caps; `total` 0 means derived from the open-file limit. */
    readonly streams: { readonly perKey: number; readonly perCustomer: number; readonly total: number };
    /** Failed authentications allowed per client address: a bucket of `capacity`, refilled per minute. */
    readonly authFailures: { readonly capacity: number; readonly refillPerMinute: number };
  };
  readonly webhooks: CommonConfig['webhooks'] & {
    /** Fan-out bounds: endpoints per customer, and per instance (counting the customer-wide ones). */
    readonly maxEndpointsPerCustomer: number;
    readonly maxEndpointsPerInstance: number;
  };
  readonly sessions: {
    /** MAX_SESSIONS_PER_NODE: live sessions this process runs at most; placement gives it no more. */
    readonly maxPerNode: number;
    /** SESSION_LEASE_TTL_MS: how long a session lease lasts without renewal (renewed every third of it). */
    readonly leaseTtlMs: number;
    /**
     * NODE_ADDRESS: where the other nodes reach this one to hand it requests for the sessions it runs; null:
     * the address it listens on, unless that is a wildcard (then it receives none).
     */
    readonly nodeAddress: string | null;
    /** WHATSAPP_CREDENTIALS: where real numbers' credentials live, files under DATA_DIR or Postgres (sealed). */
    readonly credentials: 'files' | 'postgres';
    readonly resumePerSecond: number;
    readonly waWebSocketUrl: string | null;
    readonly pairingTimeoutMs: number;
    /** How long a live lookup (contacts, LIDs) waits for WhatsApp before answering 504. */
    readonly lookupTimeoutMs: number;
  };
  /** claimLeaseMs: how long a send's claim lasts; a process that dies mid-send blocks its instance that long. */
  readonly messages: { readonly minGapMs: number; readonly claimLeaseMs: number };
  readonly media: {
    readonly urlTtlSeconds: number;
    readonly cacheMaxBytes: number;
    /** MEDIA_STORE and, for s3, the bucket (media-store-config.ts). */
    readonly store: MediaStoreConfig;
  };
  readonly rateLimit: { readonly capacity: number; readonly refillPerSecond: number };
  readonly sandbox: { readonly autoScanMs: number | null; readonly receiptDelayMs: number };
}

/** Parses the environment once. Throws ConfigError naming every bad or missing variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const e: ParsedEnv = parseEnv(envSchema, env);
  if (e.NODE_ENV === 'production' && e.PUBLIC_URL?.startsWith('http:')) {
    throw new ConfigError(['PUBLIC_URL must use https when NODE_ENV=production']);
  }
  const common = commonConfig(e);
  return {
    ...common,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    apiKeyPepper: new Secret(e.API_KEY_PEPPER),
    dataDir: path.resolve(e.DATA_DIR),
    http: {
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      apiKeyCacheTtlMs: e.API_KEY_CACHE_TTL_MS,
      unknownKeyCacheTtlMs: e.UNKNOWN_KEY_CACHE_TTL_MS,
      trustProxy: e.TRUST_PROXY,
      streams: { perKey: e.SSE_MAX_STREAMS_PER_KEY, perCustomer: e.SSE_MAX_STREAMS_PER_CUSTOMER, total: e.SSE_MAX_STREAMS },
      authFailures: { capacity: e.AUTH_FAILURE_CAPACITY, refillPerMinute: e.AUTH_FAILURE_REFILL_PER_MINUTE },
    },
    webhooks: {
      ...common.webhooks,
      maxEndpointsPerCustomer: e.WEBHOOK_MAX_ENDPOINTS_PER_CUSTOMER,
      maxEndpointsPerInstance: e.WEBHOOK_MAX_ENDPOINTS_PER_INSTANCE,
    },
    sessions: {
      maxPerNode: e.MAX_SESSIONS_PER_NODE ?? e.MAX_SESSIONS_PER_WORKER,
      leaseTtlMs: e.SESSION_LEASE_TTL_MS,
      nodeAddress: e.NODE_ADDRESS?.replace(/\/+$/, '') ?? null,
      credentials: e.WHATSAPP_CREDENTIALS as 'files' | 'postgres',
      resumePerSecond: e.SESSION_RESUME_PER_SECOND,
      waWebSocketUrl: e.WA_WEBSOCKET_URL ?? null,
      pairingTimeoutMs: e.PAIRING_TIMEOUT_MS,
      lookupTimeoutMs: e.WHATSAPP_LOOKUP_TIMEOUT_MS,
    },
    messages: { minGapMs: e.MESSAGE_MIN_GAP_MS, claimLeaseMs: e.MESSAGE_CLAIM_LEASE_MS },
    media: { urlTtlSeconds: e.MEDIA_URL_TTL, cacheMaxBytes: e.MEDIA_CACHE_MAX_BYTES, store: mediaStoreConfig(e) },
    rateLimit: { capacity: e.RATE_LIMIT_CAPACITY, refillPerSecond: e.RATE_LIMIT_REFILL_PER_SECOND },
    // 0 turns automatic pairing off: a sandbox then waits for POST /sandbox/scan.
    sandbox: { autoScanMs: e.SANDBOX_AUTO_SCAN_MS === 0 ? null : e.SANDBOX_AUTO_SCAN_MS, receiptDelayMs: e.SANDBOX_RECEIPT_DELAY_MS },
  };
}
