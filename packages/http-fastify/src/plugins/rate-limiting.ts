/*
 * Per-customer rate limiting on `/v1/*`: after authentication, each request takes one token from its
 * customer's bucket (`requests:<customer id>`); every authenticated `/v1` response carries
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (unix seconds when the bucket is
 * full again), and an empty bucket answers 429 `rate_limited` with `Retry-After`. `GET /v1/limits` only
 * peeks. Health, docs, OpenAPI and metrics are outside `/v1` and never limited; requests that fail
 * authentication have no customer to charge (the failed-authentication throttle covers them). A request
 * another node forwarded (a verified internal hop) was charged there, so it only peeks here. The event
 * stream is public (EventSource sends no header) and charges its customer itself once it knows them.
 *
 * FAIL OPEN: when the limiter's store (Redis) is unreachable, requests pass without rate-limit headers and
 * the failure is logged (and counted in `whatisup_rate_limiter_failures_total`). The limiter protects the
 * service from a greedy customer; it is not a security boundary (every request is still authenticated and
 * scoped). Failing closed would turn a Redis outage into a total API outage for every customer, including
 * the sends that matter most, in exchange for protection against a burst that is unlikely to coincide with
 * the outage. Postgres, not Redis, is the source of truth, so the API keeps working without Redis.
 */
import type { RateLimitState, RateLimiter } from '@whatisup/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../lib/api-error.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import '../lib/fastify-augmentation.js';

export interface RateLimitingOptions {
  readonly limiter: RateLimiter;
  /** Counts fail-open decisions when given. */
  readonly metrics?: MetricsRegistry | undefined;
  /** A request another node forwarded after charging it: only peeked at here, so it counts once. */
  readonly chargedByForwarder?: ((request: FastifyRequest) => boolean) | undefined;
}

/** The bucket key of a customer's API requests. */
export const requestBucketKey = (customerId: string): string => `requests:${customerId}`;

/** The route that shows the buckets: it peeks instead of spending. */
export const LIMITS_ROUTE = '/v1/limits';

export function setRateLimitHeaders(reply: FastifyReply, state: RateLimitState): void {
  reply.header('x-ratelimit-limit', String(state.limit));
  reply.header('x-ratelimit-remaining', String(state.remaining));
  reply.header('x-ratelimit-reset', String(Math.ceil(state.resetAt.getTime() / 1000)));
}

export function installRateLimiting(app: FastifyInstance, options: RateLimitingOptions): void {
  const failures = options.metrics?.counter(
    'whatisup_rate_limiter_failures_total',
    'Requests let through without a rate-limit check because the limiter was unreachable (fail open).',
  );
  // Registered after the authentication hook, so it runs after it and sees the principal.
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (request.principal === null || route === undefined || !route.startsWith('/v1/')) return;
    const peekOnly = (route === LIMITS_ROUTE && request.method === 'GET') || options.chargedByForwarder?.(request) === true;
    await chargeRequest(options.limiter, { request, reply, customerId: request.principal.customerId, peekOnly, onFailure: () => failures?.inc() });
  });
}

export interface ChargeRequestOptions {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly customerId: string;
  /** Only read the bucket (and set the headers). */
  readonly peekOnly?: boolean;
  /** Told when the limiter cannot be reached (the request then passes). */
  readonly onFailure?: () => void;
}

/**
 * Takes one token from the customer's bucket and sets the rate-limit headers; throws 429 `rate_limited` when
 * the bucket is empty. Public routes that authenticate themselves (the event stream) call it directly.
 */
export async function chargeRequest(limiter: RateLimiter, options: ChargeRequestOptions): Promise<void> {
  const { request, reply } = options;
  const key = requestBucketKey(options.customerId);
  let state: RateLimitState;
  try {
    state = options.peekOnly === true ? await limiter.peek(key) : await limiter.take(key);
  } catch (error) {
    options.onFailure?.();
    request.log.warn({ err: error }, 'rate limiter unavailable; letting the request through');
    return;
  }
  setRateLimitHeaders(reply, state);
  if (state.allowed || options.peekOnly === true) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(state.retryAfterMs / 1000));
  throw new ApiError(429, 'rate_limited', `Too many requests: retry in ${retryAfterSeconds} s.`, {
    retry_after_seconds: retryAfterSeconds,
    limit: state.limit,
    refill_per_second: limiter.policy.refillPerSecond,
  });
}
