/*
 * Request metrics for `GET /metrics`: a count and a latency histogram of every response, labelled by
 * method, route pattern (`/v1/instances/:id`, never the raw URL, so ids cannot blow up the series count;
 * unknown paths are `unmatched`) and status class (`2xx` ... `5xx`); 429s by reason and 401s.
 */
import type { FastifyInstance } from 'fastify';
import { isApiError } from '../lib/api-error.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';

/** Why a request got 429: the customer's request bucket, the failed-authentication throttle, or the stream caps. */
const THROTTLE_REASONS = { too_many_failed_authentications: 'failed_authentications', too_many_streams: 'streams' } as const;

function throttleReasonOf(error: unknown): string {
  const reason = isApiError(error) ? error.details['reason'] : undefined;
  return typeof reason === 'string' && reason in THROTTLE_REASONS ? THROTTLE_REASONS[reason as keyof typeof THROTTLE_REASONS] : 'requests';
}

const LABELS = ['method', 'route', 'status_class'] as const;

export function installHttpMetrics(app: FastifyInstance, registry: MetricsRegistry): void {
  const requests = registry.counter('whatisup_http_requests_total', 'HTTP responses sent.', LABELS);
  const duration = registry.histogram(
    'whatisup_http_request_duration_seconds',
    'Time from receiving an HTTP request to finishing its response, in seconds.',
    LABELS,
  );
  const throttled = registry.counter('whatisup_http_throttled_total', 'Requests answered 429, by reason (requests, failed_authentications, streams).', ['reason']);
  const authFailures = registry.counter('whatisup_http_authentication_failures_total', 'Requests refused 401: a missing, unknown or revoked key or token.');
  // A 429 comes from a thrown error whose details say why; remember it until the response is counted.
  const reasons = new WeakMap<object, string>();
  app.addHook('onError', async (request, _reply, error) => {
    reasons.set(request, throttleReasonOf(error));
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401) authFailures.inc();
    if (reply.statusCode === 429) throttled.inc({ reason: reasons.get(request) ?? 'requests' });
    const labels = {
      method: request.method,
      route: request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched'),
      status_class: `${Math.floor(reply.statusCode / 100)}xx`,
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
}
