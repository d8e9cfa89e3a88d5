import path from 'node:path';
import { parseSecretsKey } from '@whatisup/core';
import * as v from 'valibot';
import { envSchema, type ParsedEnv } from './env-schema.js';
import { Secret } from './secret.js';

export interface Config {
  readonly nodeEnv: ParsedEnv['NODE_ENV'];
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly databaseUrl: Secret;
  readonly redisUrl: Secret;
  readonly apiKeyPepper: Secret;
  readonly secretsKey: Secret<Buffer>;
  readonly secretsKeyPrevious: Secret<Buffer> | null;
  readonly dataDir: string;
  readonly logLevel: ParsedEnv['LOG_LEVEL'];
  readonly http: { readonly bodyLimitBytes: number; readonly apiKeyCacheTtlMs: number };
  readonly webhooks: {
    readonly maxPerHost: number;
    readonly allowCidrs: readonly string[];
    readonly timeoutMs: number;
    /** How long a worker's claim on a delivery lasts; a dead worker's delivery is retried after it. */
    readonly claimLeaseMs: number;
    readonly concurrency: number;
    readonly retryScheduleMs: readonly number[] | null;
    readonly successRetentionDays: number;
    readonly failedRetentionDays: number;
  };
  readonly sessions: {
    readonly maxPerWorker: number;
    readonly resumePerSecond: number;
    readonly waWebSocketUrl: string | null;
    readonly pairingTimeoutMs: number;
  };
  /** claimLeaseMs: how long a send's claim lasts; a process that dies mid-send blocks its instance that long. */
  readonly messages: { readonly minGapMs: number; readonly claimLeaseMs: number; readonly retentionDays: number };
  readonly media: { readonly urlTtlSeconds: number; readonly cacheMaxBytes: number };
  readonly rateLimit: { readonly capacity: number; readonly refillPerSecond: number };
  readonly redisPrefix: string;
  /** When set, `GET /metrics` requires `Authorization: Bearer <token>`. */
  readonly metricsToken: Secret | null;
  /** How often the sweepers re-drive what Postgres says is due (deliveries, outboxes). */
  readonly sweepIntervalMs: number;
  readonly sandbox: { readonly autoScanMs: number | null; readonly receiptDelayMs: number };
}

/** A bad environment: each problem names its variable. The message never contains a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const keyBytes = (value: string): Buffer => parseSecretsKey(value).key;

/** Parses the environment once. Throws ConfigError naming every bad or missing variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const result = v.safeParse(envSchema, env, { abortPipeEarly: true });
  if (!result.success) {
    const problems = result.issues.map((issue) => {
      const variable = issue.path?.map((item) => String(item.key)).join('.') ?? '(environment)';
      const message = issue.received === 'undefined' ? 'is required' : issue.message;
      return `${variable} ${message}`;
    });
    throw new ConfigError(problems);
  }
  const e = result.output;
  if (e.WEBHOOK_CLAIM_LEASE_MS !== undefined && e.WEBHOOK_CLAIM_LEASE_MS <= e.WEBHOOK_TIMEOUT_MS) {
    throw new ConfigError(['WEBHOOK_CLAIM_LEASE_MS must be longer than WEBHOOK_TIMEOUT_MS (a claim must outlive an attempt)']);
  }
  if (e.NODE_ENV === 'production' && e.PUBLIC_URL?.startsWith('http:')) {
    throw new ConfigError(['PUBLIC_URL must use https when NODE_ENV=production']);
  }
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: new Secret(e.DATABASE_URL),
    redisUrl: new Secret(e.REDIS_URL),
    apiKeyPepper: new Secret(e.API_KEY_PEPPER),
    secretsKey: new Secret(keyBytes(e.SECRETS_KEY)),
    secretsKeyPrevious: e.SECRETS_KEY_PREVIOUS ? new Secret(keyBytes(e.SECRETS_KEY_PREVIOUS)) : null,
    dataDir: path.resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    http: { bodyLimitBytes: e.BODY_LIMIT_BYTES, apiKeyCacheTtlMs: e.API_KEY_CACHE_TTL_MS },
    webhooks: {
      maxPerHost: e.WEBHOOK_MAX_PER_HOST,
      allowCidrs: e.WEBHOOK_ALLOW_CIDRS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      claimLeaseMs: e.WEBHOOK_CLAIM_LEASE_MS ?? e.WEBHOOK_TIMEOUT_MS * 2 + 30_000,
      concurrency: e.WEBHOOK_CONCURRENCY,
      retryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE ?? null,
      successRetentionDays: e.WEBHOOK_SUCCESS_RETENTION_DAYS,
      failedRetentionDays: e.WEBHOOK_FAILED_RETENTION_DAYS,
    },
    sessions: {
      maxPerWorker: e.MAX_SESSIONS_PER_WORKER,
      resumePerSecond: e.SESSION_RESUME_PER_SECOND,
      waWebSocketUrl: e.WA_WEBSOCKET_URL ?? null,
      pairingTimeoutMs: e.PAIRING_TIMEOUT_MS,
    },
    messages: { minGapMs: e.MESSAGE_MIN_GAP_MS, claimLeaseMs: e.MESSAGE_CLAIM_LEASE_MS, retentionDays: e.MESSAGE_RETENTION_DAYS },
    media: { urlTtlSeconds: e.MEDIA_URL_TTL, cacheMaxBytes: e.MEDIA_CACHE_MAX_BYTES },
    rateLimit: { capacity: e.RATE_LIMIT_CAPACITY, refillPerSecond: e.RATE_LIMIT_REFILL_PER_SECOND },
    redisPrefix: e.REDIS_PREFIX,
    metricsToken: e.METRICS_TOKEN ? new Secret(e.METRICS_TOKEN) : null,
    sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    // 0 turns automatic pairing off: a sandbox then waits for POST /sandbox/scan.
    sandbox: { autoScanMs: e.SANDBOX_AUTO_SCAN_MS === 0 ? null : e.SANDBOX_AUTO_SCAN_MS, receiptDelayMs: e.SANDBOX_RECEIPT_DELAY_MS },
  };
}
