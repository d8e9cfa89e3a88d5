/*
 * The environment, described once with valibot. Every variable is a string in the environment; the pipes
 * below parse it and say, in plain words, what a bad value should look like. Defaults are documented in
 * docs/configuration.md; keep the two in step.
 *
 * Each process role reads only what it uses: the API schema (`serve`, the CLI) and the worker schema
 * (`whatisup worker`) share the common entries; the worker's has no API_KEY_PEPPER, PORT or session
 * settings, so a worker host never holds the key pepper.
 */
import { parseSecretsKey, SECRETS_KEY_FORMAT } from '@whatisup/core';
import { parseAllowCidrs } from '@whatisup/outbound-undici';
import * as v from 'valibot';
import { IN_PROCESS_QUEUE } from './embedded-keywords.js';
import { mediaStoreEntries } from './media-store-config.js';

const integer = (min: number, max: number, fallback: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.trim(),
    v.regex(/^\d+$/, `must be a whole number between ${min} and ${max}`),
    v.transform(Number),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

/** As `integer`, but absent (undefined) when not set. */
const optionalInteger = (min: number, max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^\d+$/, `must be a whole number between ${min} and ${max}`),
      v.transform(Number),
      v.minValue(min, `must be at least ${min}`),
      v.maxValue(max, `must be at most ${max}`),
    ),
  );

/** A URL with one of `protocols`; `keyword`, when given, is accepted as it is (e.g. `in-process`). */
const url = (protocols: string[], fallback?: string, keyword?: string) =>
  v.pipe(
    fallback === undefined ? v.string('is required') : v.optional(v.string(), fallback),
    v.trim(),
    v.nonEmpty('is required'),
    v.check(
      (value) => {
        if (keyword !== undefined && value === keyword) return true;
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}${keyword === undefined ? '' : `, or ${keyword}`}`,
    ),
  );

/** Whether `check` accepts the value without throwing (the parsers' own rules, so config and use agree). */
const accepted = (check: (value: string) => unknown) => (value: string) => {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
};

const secretsKey = v.pipe(
  v.string('is required'),
  v.trim(),
  v.check(
    accepted((value) => parseSecretsKey(value)),
    SECRETS_KEY_FORMAT,
  ),
);

const cidrList = v.pipe(
  v.optional(v.string(), ''),
  v.check(
    accepted((value) => parseAllowCidrs(value)),
    'must be a comma-separated list of CIDRs such as 10.0.0.0/8, 172.18.0.0/16 or fd00::/8 (no host bits set)',
  ),
  v.transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  ),
);

/** `false`, `true`, a hop count, or a comma-separated list of proxy addresses/CIDRs (as Fastify's `trustProxy`). */
const trustProxy = v.pipe(
  v.optional(v.string(), 'false'),
  v.trim(),
  v.check(
    (value) => /^(true|false|\d{1,2}|[0-9A-Fa-f:.\/]+(\s*,\s*[0-9A-Fa-f:.\/]+)*)$/.test(value),
    'must be false, true, a number of proxy hops, or a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.0/8)',
  ),
  v.transform((value): boolean | number | string => {
    if (value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    return value.replace(/\s+/g, '');
  }),
);

/** What every role reads: stores, secrets for webhook signing, the delivery pipeline, logging, shutdown. */
const commonEntries = {
  NODE_ENV: v.optional(v.picklist(['development', 'production', 'test'], 'must be development, production or test'), 'development'),
  HOST: v.pipe(v.optional(v.string(), '0.0.0.0'), v.trim(), v.nonEmpty('must not be empty')),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  // Defaults to DATABASE_URL (computed in common-config.ts).
  MIGRATION_DATABASE_URL: v.optional(url(['postgres:', 'postgresql:'])),
  // Empty: connections keep the login role (when it already is the app's role).
  DATABASE_APP_ROLE: v.pipe(
    v.optional(v.string(), 'whatisup_app'),
    v.trim(),
    v.regex(/^([a-z_][a-z0-9_]{0,62})?$/, 'must be a role name (lower-case letters, digits, underscores) or empty'),
  ),
  // Connections each process keeps to Postgres at most; every request and worker step borrows one.
  DATABASE_POOL_SIZE: integer(1, 200, 10),
  // `in-process` (outside production): the job queue, host gate and rate limiter run in this process
  // (docs/decisions/0014-embedded-default.md). The worker's schema takes a Redis URL only.
  REDIS_URL: url(['redis:', 'rediss:'], undefined, IN_PROCESS_QUEUE),
  SECRETS_KEY: secretsKey,
  SECRETS_KEY_PREVIOUS: v.optional(secretsKey),
  LOG_LEVEL: v.optional(
    v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be one of fatal, error, warn, info, debug, trace, silent'),
    'info',
  ),
  WEBHOOK_MAX_PER_HOST: integer(1, 1000, 4),
  WEBHOOK_ALLOW_CIDRS: cidrList,
  WEBHOOK_TIMEOUT_MS: integer(100, 120_000, 10_000),
  // Default (2 × WEBHOOK_TIMEOUT_MS + 30 s) is computed in common-config.ts.
  WEBHOOK_CLAIM_LEASE_MS: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^\d+$/, 'must be a whole number between 1000 and 3600000'),
      v.transform(Number),
      v.minValue(1_000, 'must be at least 1000'),
      v.maxValue(3_600_000, 'must be at most 3600000'),
    ),
  ),
  WEBHOOK_CONCURRENCY: integer(1, 1000, 32),
  WEBHOOK_RETRY_SCHEDULE: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, 'must be a comma-separated list of seconds, e.g. 0,10,60,300,1800,7200'),
      v.transform((value) => value.split(',').map((s) => Number(s.trim()) * 1000)),
    ),
  ),
  WEBHOOK_SUCCESS_RETENTION_DAYS: integer(1, 3650, 7),
  WEBHOOK_FAILED_RETENTION_DAYS: integer(1, 3650, 30),
  MESSAGE_RETENTION_DAYS: integer(1, 3650, 30),
  CHAT_RETENTION_DAYS: integer(1, 3650, 180),
  REDIS_PREFIX: v.pipe(
    v.optional(v.string(), 'whatisup'),
    v.trim(),
    v.regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1-64 letters, digits, colons, dashes or underscores'),
  ),
  SWEEP_INTERVAL_MS: integer(100, 3_600_000, 5_000),
  METRICS_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters when set'))),
  SHUTDOWN_TIMEOUT_MS: integer(1_000, 600_000, 10_000),
  // OpenTelemetry's standard names. Tracing is on only when one of the endpoints is set.
  OTEL_EXPORTER_OTLP_ENDPOINT: v.optional(url(['http:', 'https:'])),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: v.optional(url(['http:', 'https:'])),
  OTEL_SERVICE_NAME: v.pipe(v.optional(v.string(), 'whatisup'), v.trim(), v.nonEmpty('must not be empty')),
};

/** `whatisup serve`, `pnpm start` and the data commands of the CLI. */
export const envSchema = v.object({
  ...commonEntries,
  PORT: integer(0, 65535, 3000),
  PUBLIC_URL: v.optional(url(['http:', 'https:'])),
  API_KEY_PEPPER: v.pipe(v.string('is required'), v.minLength(32, 'must be at least 32 characters (openssl rand -hex 32)')),
  DATA_DIR: v.pipe(v.optional(v.string(), './.data'), v.trim(), v.nonEmpty('must not be empty')),
  BODY_LIMIT_BYTES: integer(1024, 64 * 1024 * 1024, 1024 * 1024),
  API_KEY_CACHE_TTL_MS: integer(0, 60_000, 5_000),
  // Fan-out bounds, checked when an endpoint is created (the API only).
  WEBHOOK_MAX_ENDPOINTS_PER_CUSTOMER: integer(1, 10_000, 20),
  WEBHOOK_MAX_ENDPOINTS_PER_INSTANCE: integer(1, 10_000, 10),
  MAX_SESSIONS_PER_NODE: optionalInteger(1, 100_000),
  // The older name of MAX_SESSIONS_PER_NODE, read when that is not set.
  MAX_SESSIONS_PER_WORKER: integer(1, 100_000, 200),
  SESSION_LEASE_TTL_MS: integer(3_000, 600_000, 15_000),
  NODE_ADDRESS: v.optional(url(['http:', 'https:'])),
  WHATSAPP_CREDENTIALS: v.pipe(v.optional(v.string(), 'files'), v.trim(), v.picklist(['files', 'postgres'], 'must be files or postgres')),
  SESSION_RESUME_PER_SECOND: integer(1, 1000, 5),
  WA_WEBSOCKET_URL: v.optional(url(['ws:', 'wss:'])),
  MESSAGE_MIN_GAP_MS: integer(0, 600_000, 1_000),
  MESSAGE_CLAIM_LEASE_MS: integer(5_000, 3_600_000, 150_000),
  MEDIA_URL_TTL: integer(1, 7 * 24 * 3600, 3600),
  MEDIA_CACHE_MAX_BYTES: integer(1024 * 1024, 16 * 1024 * 1024 * 1024, 256 * 1024 * 1024),
  PAIRING_TIMEOUT_MS: integer(10_000, 3_600_000, 180_000),
  WHATSAPP_LOOKUP_TIMEOUT_MS: integer(100, 120_000, 10_000),
  SANDBOX_AUTO_SCAN_MS: integer(0, 3_600_000, 3_000),
  SANDBOX_RECEIPT_DELAY_MS: integer(0, 60_000, 250),
  RATE_LIMIT_CAPACITY: integer(1, 1_000_000, 120),
  RATE_LIMIT_REFILL_PER_SECOND: integer(1, 1_000_000, 20),
  SSE_MAX_STREAMS_PER_KEY: integer(1, 1_000_000, 20),
  SSE_MAX_STREAMS_PER_CUSTOMER: integer(1, 1_000_000, 100),
  // 0: derived from the open-file limit (see docs/configuration.md).
  SSE_MAX_STREAMS: integer(0, 1_000_000, 0),
  TRUST_PROXY: trustProxy,
  AUTH_FAILURE_CAPACITY: integer(1, 1_000_000, 30),
  AUTH_FAILURE_REFILL_PER_MINUTE: integer(1, 1_000_000, 30),
  UNKNOWN_KEY_CACHE_TTL_MS: integer(0, 3_600_000, 60_000),
  ...mediaStoreEntries,
});

/** `whatisup worker`: the delivery worker and its health/metrics port. */
export const workerEnvSchema = v.object({
  ...commonEntries,
  // A worker shares the queue with the API processes, so it needs the real Redis they use.
  REDIS_URL: url(['redis:', 'rediss:']),
  WORKER_PORT: integer(0, 65535, 3001),
});

export type ParsedEnv = v.InferOutput<typeof envSchema>;
export type ParsedWorkerEnv = v.InferOutput<typeof workerEnvSchema>;
export type ParsedCommonEnv = Pick<ParsedEnv, keyof typeof commonEntries>;
