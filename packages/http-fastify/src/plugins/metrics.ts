/*
 * Request metrics for `GET /metrics`: a count and a latency histogram of every response, labelled by
 * method, route pattern (`/v1/instances/:id`, never the raw URL, so ids cannot blow up the series count;
 * unknown paths are `unmatched`) and status class (`2xx` ... `5xx`).
 */
import type { FastifyInstance } from 'fastify';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';

const LABELS = ['method', 'route', 'status_class'] as const;

export function installHttpMetrics(app: FastifyInstance, registry: MetricsRegistry): void {
  const requests = registry.counter('whatisup_http_requests_total', 'HTTP responses sent.', LABELS);
  const duration = registry.histogram(
    'whatisup_http_request_duration_seconds',
    'Time from receiving an HTTP request to finishing its response, in seconds.',
    LABELS,
  );
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched'),
      status_class: `${Math.floor(reply.statusCode / 100)}xx`,
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
}
