/*
 * The instruments every role records into: one prom-client registry per role instance (never the global
 * one), with the process metrics, and the counters and histograms that core reports through its hooks
 * (`onReport` of the delivery worker, `onStatus` of the outbox and receipts). Labels are bounded enums:
 * an outcome, a status class, a status, a queue or client name; never a customer, instance or URL.
 */
import type { DeliveryReport } from '@whatisup/core';
import { createMetricsRegistry, type MetricsRegistry } from '@whatisup/http-fastify';

/** Seconds from an event to its receiver's 2xx: webhooks are meant to arrive within seconds, retries take hours. */
const DELIVERY_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];
const ATTEMPT_BUCKETS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20];

export type RedisClientName = 'delivery_queue' | 'outbox_queue' | 'rate_limiter' | 'host_gate' | 'event_feed';

export interface ServerMetrics {
  readonly registry: MetricsRegistry;
  /** The delivery worker's `onReport`. */
  readonly onDeliveryReport: (report: DeliveryReport) => void;
  /** The outbox's, the receipts' and the send use case's status moves. */
  readonly onMessageStatus: (to: 'queued' | 'sent' | 'delivered' | 'read' | 'failed') => void;
  /** A Redis client reported a failed command or connection. */
  readonly onRedisError: (client: RedisClientName) => void;
}

export const statusClassOf = (status: number | null): string => (status === null ? 'none' : `${Math.floor(status / 100)}xx`);

export function createServerMetrics(): ServerMetrics {
  const registry = createMetricsRegistry({ processMetrics: true });
  const deliveries = registry.counter(
    'whatisup_webhook_deliveries_total',
    'Webhook delivery outcomes (success, retry, failed, disabled) by the status class of the answer (none: no answer).',
    ['outcome', 'status_class'],
  );
  const latency = registry.histogram(
    'whatisup_webhook_delivery_latency_seconds',
    "Seconds from an event's occurred_at to its receiver's 2xx, retries included.",
    [],
    DELIVERY_LATENCY_BUCKETS,
  );
  const attempts = registry.histogram(
    'whatisup_webhook_delivery_attempts',
    'Attempts a delivery took, counted at its final outcome.',
    ['outcome'],
    ATTEMPT_BUCKETS,
  );
  const messages = registry.counter('whatisup_messages_total', 'Outbound message status moves, by the status moved to.', ['to']);
  const redisErrors = registry.counter('whatisup_redis_errors_total', 'Failed Redis commands or connections, by client.', ['client']);
  return {
    registry,
    onDeliveryReport(report) {
      deliveries.inc({ outcome: report.outcome, status_class: statusClassOf(report.responseStatus) });
      if (report.outcome === 'success') latency.observe({}, Math.max(0, report.sinceEventMs) / 1000);
      if (report.final) attempts.observe({ outcome: report.outcome }, report.attempts);
    },
    onMessageStatus: (to) => messages.inc({ to }),
    onRedisError: (client) => redisErrors.inc({ client }),
  };
}
