/*
 * `GET /metrics` in the Prometheus text format. It is outside `/v1` and needs no API key: metrics are
 * the operator's, not a customer's, and they hold counts, not tenant data (labels are route patterns and
 * outcomes, never ids). On a port reachable from outside, set a scrape token (METRICS_TOKEN): the route then
 * wants `Authorization: Bearer <token>`, as Prometheus' `authorization` scrape setting sends it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../lib/api-error.js';
import type { AnyRouteSpec } from '../lib/create-router.js';
import { defineRoute } from '../lib/route-spec.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus-text.js';

export interface MetricsRoutesDeps {
  readonly registry: MetricsRegistry;
  /** When set, scrapes must send `Authorization: Bearer <bearerToken>`. */
  readonly bearerToken?: string | undefined;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export function metricsRoutes(deps: MetricsRoutesDeps): AnyRouteSpec[] {
  const expected = deps.bearerToken === undefined ? null : digest(`Bearer ${deps.bearerToken}`);
  return [
    defineRoute({
      method: 'GET',
      url: '/metrics',
      operationId: 'getMetrics',
      summary: 'Prometheus metrics',
      description:
        'Counters, gauges and histograms in the Prometheus text exposition format 0.0.4 (`text/plain`), ' +
        'among them `whatisup_http_requests_total` and `whatisup_http_request_duration_seconds` by method, ' +
        'route pattern and status class. No API key; when the operator sets a scrape token it needs ' +
        '`Authorization: Bearer <token>` instead.',
      tags: ['Operations'],
      public: true,
      response: { status: 200, description: 'The metrics, as `text/plain; version=0.0.4`.' },
      errors: expected === null ? [] : [401],
      handler: async ({ request, reply }) => {
        // Hashing first makes the comparison constant-time whatever the header's length.
        if (expected !== null && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
          throw new ApiError(401, 'unauthenticated', 'Send the metrics scrape token as "Authorization: Bearer <token>".');
        }
        const text = await deps.registry.render();
        reply.code(200).type(PROMETHEUS_CONTENT_TYPE).send(text);
        // The body is text, not a JSON schema's output: wait until it is sent so the router leaves it be.
        await reply;
        return undefined;
      },
    }),
  ];
}
