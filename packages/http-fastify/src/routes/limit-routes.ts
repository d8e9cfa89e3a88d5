import type { GetWebhookEndpointLimits, RateLimiter } from '@whatisup/core';
import * as v from 'valibot';
import { ApiError } from '../lib/api-error.js';
import type { AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import { LIMITS_ROUTE, requestBucketKey } from '../plugins/rate-limiting.js';
import { Timestamp } from '../schemas/common-schemas.js';

const Bucket = v.object({
  limit: v.pipe(v.number(), v.description('Most requests in a burst: the bucket capacity.')),
  remaining: v.pipe(v.number(), v.description('Requests that would pass right now.')),
  reset_at: v.pipe(Timestamp, v.description('When the bucket is full again if nothing more is spent.')),
  refill_per_second: v.pipe(v.number(), v.description('Requests that come back per second: the sustained rate.')),
});

const Quota = v.object({
  limit: v.pipe(v.number(), v.description('The most allowed.')),
  used: v.pipe(v.number(), v.description('How many there are now.')),
});

const EndpointQuotas = v.object({
  per_customer: v.pipe(Quota, v.description('Webhook endpoints of your customer (WEBHOOK_MAX_ENDPOINTS_PER_CUSTOMER).')),
  per_instance: v.pipe(
    Quota,
    v.description(
      'Endpoints one instance’s events go to: bound to it plus the customer-wide ones (WEBHOOK_MAX_ENDPOINTS_PER_INSTANCE). ' +
        '`used` is your key’s instance for a bound key, else the busiest instance.',
    ),
  ),
});

const Limits = v.object({ requests: Bucket, webhook_endpoints: v.optional(EndpointQuotas) });

/** `GET /v1/limits`: the caller's buckets, read without spending a token, and the fan-out quotas. */
export function limitRoutes(limiter: RateLimiter, webhookEndpointLimits?: GetWebhookEndpointLimits): AnyRouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: LIMITS_ROUTE,
      operationId: 'getLimits',
      summary: 'Show your rate limits',
      description:
        'Your API requests share one token bucket per customer: a burst of up to `limit` requests, refilled ' +
        'at `refill_per_second`. Every `/v1` response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and ' +
        '`X-RateLimit-Reset` (unix seconds when the bucket is full again); an empty bucket answers 429 ' +
        '`rate_limited` with `Retry-After` in seconds. This call spends no token. `webhook_endpoints` shows the ' +
        'fan-out limits: creating an endpoint past them is 422 `limit_exceeded`.',
      tags: ['Limits'],
      response: { status: 200, description: 'Your buckets.', schema: Limits },
      errors: [503],
      handler: async ({ principal }) => {
        const state = await limiter.peek(requestBucketKey(principal.customerId)).catch(() => {
          throw new ApiError(503, 'unavailable', 'The rate limiter is unavailable right now; requests are not being limited.');
        });
        const endpoints = webhookEndpointLimits === undefined ? undefined : await webhookEndpointLimits(principal);
        return {
          requests: {
            limit: state.limit,
            remaining: state.remaining,
            reset_at: state.resetAt.toISOString(),
            refill_per_second: limiter.policy.refillPerSecond,
          },
          ...(endpoints && {
            webhook_endpoints: {
              per_customer: { limit: endpoints.perCustomer.limit, used: endpoints.perCustomer.used },
              per_instance: { limit: endpoints.perInstance.limit, used: endpoints.perInstance.used },
            },
          }),
        };
      },
    }),
  ];
}
