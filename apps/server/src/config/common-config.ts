import { parseSecretsKey } from '@whatisup/core';
import type { ParsedCommonEnv } from './env-schema.js';
import { IN_PROCESS_QUEUE } from './embedded-keywords.js';
import { ConfigError } from './parse-env.js';
import { Secret } from './secret.js';

/** What every process role reads (see env-schema.ts). */
export interface CommonConfig {
  readonly nodeEnv: ParsedCommonEnv['NODE_ENV'];
  /** The address the role's HTTP server binds to. */
  readonly host: string;
  readonly databaseUrl: Secret;
  /** The schema owner's connection, for migrations only. */
  readonly migrationDatabaseUrl: Secret;
  /** The role every pooled app connection takes (SET ROLE); null keeps the login role. */
  readonly databaseAppRole: string | null;
  /** Connections this process keeps to Postgres at most (DATABASE_POOL_SIZE). */
  readonly databasePoolSize: number;
  /** Null: the job queue, host gate and rate limiter run in this process (`REDIS_URL=in-process`). */
  readonly redisUrl: Secret | null;
  readonly secretsKey: Secret<Buffer>;
  readonly secretsKeyPrevious: Secret<Buffer> | null;
  readonly logLevel: ParsedCommonEnv['LOG_LEVEL'];
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
  /** Days a finished message (and its status trail) is kept after its last status change. */
  readonly messageRetentionDays: number;
  /** Days a chat without activity is kept in the chat list. */
  readonly chatRetentionDays: number;
  readonly redisPrefix: string;
  /** When set, `GET /metrics` requires `Authorization: Bearer <token>`. */
  readonly metricsToken: Secret | null;
  /** How often the sweepers re-drive what Postgres says is due (deliveries, outboxes). */
  readonly sweepIntervalMs: number;
  /** After a shutdown signal, how long closing may take before the process exits non-zero anyway. */
  readonly shutdownTimeoutMs: number;
  readonly tracing: {
    /** Where spans are sent (OTLP over HTTP, JSON); null: tracing is off. */
    readonly tracesEndpoint: string | null;
    readonly serviceName: string;
  };
}

/**
 * The OTLP traces URL: the traces endpoint as given, else the base endpoint with `/v1/traces` appended (as
 * OpenTelemetry's SDKs do), else null.
 */
export function tracesEndpointOf(e: Pick<ParsedCommonEnv, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'>): string | null {
  if (e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined) return e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined) return `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return null;
}

const keyBytes = (value: string): Buffer => parseSecretsKey(value).key;

export function commonConfig(e: ParsedCommonEnv): CommonConfig {
  if (e.NODE_ENV === 'production' && e.REDIS_URL === IN_PROCESS_QUEUE) {
    throw new ConfigError([`REDIS_URL=${IN_PROCESS_QUEUE} is for development and tests; production needs a Redis URL`]);
  }
  if (e.WEBHOOK_CLAIM_LEASE_MS !== undefined && e.WEBHOOK_CLAIM_LEASE_MS <= e.WEBHOOK_TIMEOUT_MS) {
    throw new ConfigError(['WEBHOOK_CLAIM_LEASE_MS must be longer than WEBHOOK_TIMEOUT_MS (a claim must outlive an attempt)']);
  }
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    databaseUrl: new Secret(e.DATABASE_URL),
    migrationDatabaseUrl: new Secret(e.MIGRATION_DATABASE_URL ?? e.DATABASE_URL),
    databaseAppRole: e.DATABASE_APP_ROLE === '' ? null : e.DATABASE_APP_ROLE,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL === IN_PROCESS_QUEUE ? null : new Secret(e.REDIS_URL),
    secretsKey: new Secret(keyBytes(e.SECRETS_KEY)),
    secretsKeyPrevious: e.SECRETS_KEY_PREVIOUS ? new Secret(keyBytes(e.SECRETS_KEY_PREVIOUS)) : null,
    logLevel: e.LOG_LEVEL,
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
    messageRetentionDays: e.MESSAGE_RETENTION_DAYS,
    chatRetentionDays: e.CHAT_RETENTION_DAYS,
    redisPrefix: e.REDIS_PREFIX,
    metricsToken: e.METRICS_TOKEN ? new Secret(e.METRICS_TOKEN) : null,
    sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    tracing: { tracesEndpoint: tracesEndpointOf(e), serviceName: e.OTEL_SERVICE_NAME },
  };
}
