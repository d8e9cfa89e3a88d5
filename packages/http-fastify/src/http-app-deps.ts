import type { IncomingHttpHeaders } from 'node:http';
import type {
  CreateApiKey,
  CreateInstance,
  GetWebhookEndpointLimits,
  DeleteInstance,
  GetInstance,
  Tracing,
  ListApiKeys,
  ListAuditEvents,
  ListInstances,
  RateLimiter,
  RevokeApiKey,
} from '@whatisup/core';
import type { FastifyBaseLogger } from 'fastify';
import type { AuthFailureLimit } from './lib/auth-failure-throttle.js';
import type { ConnectionLimits } from './lib/connection-limits.js';
import type { AnyRouteSpec } from './lib/create-router.js';
import type { MetricsRegistry } from './metrics/metrics-registry.js';
import type { ApiInfo } from './openapi/build-openapi-document.js';
import type { Authenticator } from './plugins/authentication.js';
import type { ReadinessCheck } from './routes/health-routes.js';

/** The tenant-facing use cases the routes call (core's `create*` factories build them). */
export interface HttpUseCases {
  readonly createInstance: CreateInstance;
  readonly listInstances: ListInstances;
  readonly getInstance: GetInstance;
  readonly deleteInstance: DeleteInstance;
  readonly createApiKey: CreateApiKey;
  readonly listApiKeys: ListApiKeys;
  readonly revokeApiKey: RevokeApiKey;
  readonly listAuditEvents: ListAuditEvents;
}

/** Where logs go when the app creates its own pino logger. */
export interface HttpLoggerOptions {
  readonly level?: string;
  /** Defaults to stdout. */
  readonly stream?: { write(line: string): void };
}

export interface HttpAppDeps {
  readonly useCases: HttpUseCases;
  readonly authenticator: Authenticator;
  /**
   * A pino(-compatible) logger to derive the app's logger from, or options for a new one, or false for
   * none. Either way the app adds its own request serializer and redaction.
   */
  readonly logger?: FastifyBaseLogger | HttpLoggerOptions | false;
  /** Backs `GET /readyz`. Default: ready with no checks. */
  readonly readiness?: ReadinessCheck;
  /** Largest accepted request body in bytes. Default 1 MiB. */
  readonly bodyLimitBytes?: number;
  /** Title, version and public URL shown in `/openapi.json` and `/docs`. */
  readonly info: ApiInfo;
  /** Check every response against its documented schema (tests, development). Default false. */
  readonly validateResponses?: boolean;
  /** Route groups of later features (webhooks, sessions, messages), declared like the built-in ones. */
  readonly routes?: readonly AnyRouteSpec[];
  /** Per-customer limit on `/v1/*` (headers, 429, `GET /v1/limits`); fails open. Absent: no limit. */
  readonly rateLimiter?: RateLimiter;
  /**
   * True for a request another node of this deployment forwarded after charging it (a verified internal
   * hop): the limiter only peeks at its bucket, so a forwarded request counts once. Absent: none is.
   */
  readonly chargedByForwarder?: (request: { readonly method: string; readonly url: string; readonly headers: IncomingHttpHeaders }) => boolean;
  /**
   * The connection budget (`createConnectionLimits(planConnections(...))`): sets `server.maxConnections` and is
   * shown in `/readyz` as `details.connections`. Pass its `streams` to `eventStreamRoutes` too. Absent: no cap.
   */
  readonly connectionLimits?: ConnectionLimits;
  /**
   * Failed authentications allowed per client address before it gets 429 without a key lookup. Default
   * `DEFAULT_AUTH_FAILURE_LIMIT` (30 in a burst, one more every 2 s); false: no throttle.
   */
  readonly authFailureLimit?: AuthFailureLimit | false;
  /**
   * Fastify's `trustProxy`: true, a hop count, or the proxies' addresses/CIDRs. Only then is the client's address
   * (for the failed-authentication throttle and logs) taken from X-Forwarded-For. Default false.
   */
  readonly trustProxy?: boolean | number | string;
  /** Adds the webhook fan-out limits and their use to `GET /v1/limits`. */
  readonly webhookEndpointLimits?: GetWebhookEndpointLimits;
  /** Each request is a server span (plugins/request-context.ts). Default: not traced. */
  readonly tracing?: Tracing;
  /** Serves `GET /metrics` from `registry` and counts requests in it; `bearerToken` guards the scrape. */
  readonly metrics?: { readonly registry: MetricsRegistry; readonly bearerToken?: string | undefined };
}
