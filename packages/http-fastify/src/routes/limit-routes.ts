import type { RateLimiter } from '@whatisup/core';
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

const Limits = v.object({ requests: Bucket });

/** `GET /v1/limits`: the caller's buckets, read without spending a token. */
export function limitRoutes(limiter: RateLimiter): AnyRouteSpec[] {
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
        '`rate_limited` with `Retry-After` in seconds. This call spends no token.',
      tags: ['Limits'],
      response: { status: 200, description: 'Your buckets.', schema: Limits },
      errors: [503],
      handler: async ({ principal }) => {
        const state = await limiter.peek(requestBucketKey(principal.customerId)).catch(() => {
          throw new ApiError(503, 'unavailable', 'The rate limiter is unavailable right now; requests are not being limited.');
        });
        return {
          requests: {
            limit: state.limit,
            remaining: state.remaining,
            reset_at: state.resetAt.toISOString(),
            refill_per_second: limiter.policy.refillPerSecond,
          },
        };
      },
    }),
  ];
}
