/*
 * The webhook feature: the SSRF-safe outbound client, the sealed-secret box, the delivery queue, the
 * transactional event recorder (which also feeds the SSE bus), the endpoint and delivery use cases, and
 * `startDeliveryWorker` for the roles that deliver (the per-host gate, the worker and its sweeper; those roles
 * also schedule retention, see start-retention.ts). The queue and the gate come from the queue backend (Redis,
 * or in-process in embedded mode). On Redis, building it opens one connection (the queue's producer side); the
 * gate and the worker's connections open only when the worker starts.
 */
import {
  createEventRecorder,
  createInProcessEventBus,
  createProcessDelivery,
  createRetryPolicy,
  createSecretBox,
  createSigningSecretHealth,
  createSweepDueDeliveries,
  createWebhookUseCases,
  deliveryJobHandler,
  secretsKeyFromBytes,
  noTracing,
  traceJobQueue,
  coalesceEnqueues,
  type Clock,
  type JobHandler,
  type LeaderLock,
  type Tracing,
  type UnitOfWork,
  type WebhookEndpointLimits,
  type DeliveryReport,
} from '@whatisup/core';
import { createUndiciOutboundHttp, parseAllowCidrs } from '@whatisup/outbound-undici';
import { isRedisUnavailableError } from '@whatisup/queue-bullmq';
import type { MetricsRegistry } from '@whatisup/http-fastify';
import type { ServerMetrics } from '../metrics/create-server-metrics.js';
import type { Logger } from 'pino';
import type { CommonConfig } from '../config/common-config.js';
import type { QueueBackend } from '../embedded/create-queue-backend.js';
import { withLogContext } from '../log-context.js';
import { traceLogFields } from '../telemetry/trace-log-fields.js';
import { every } from './every.js';
import { logJobFailure } from './log-job-failure.js';
import { sweepFailed } from './sweep-failed.js';

export interface WebhooksDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  /** Where the delivery queue and the per-host gate live. */
  readonly queues: QueueBackend;
  /** The fan-out bounds endpoint creation checks (the API role's config); the core default otherwise. */
  readonly endpointLimits?: WebhookEndpointLimits | undefined;
  /** Where Redis errors and delivery outcomes are counted. */
  readonly metrics?: ServerMetrics | undefined;
  /** Lets one process at a time run the delivery sweeper. */
  readonly leader: LeaderLock;
  /** Deliveries and their attempts join the trace of the work that recorded their event. Default: off. */
  readonly tracing?: Tracing | undefined;
}

export function createWebhooks(config: CommonConfig, logger: Logger, deps: WebhooksDeps) {
  const { uow, clock, queues } = deps;
  const tracing = deps.tracing ?? noTracing;
  const outbound = createUndiciOutboundHttp({
    tracing,
    requireHttps: config.nodeEnv === 'production',
    allowCidrs: parseAllowCidrs([...config.webhooks.allowCidrs]),
    timeoutMs: config.webhooks.timeoutMs,
    onRefusal: (details) => logger.warn({ refused: details }, 'outbound URL refused'),
  });
  const secretBox = createSecretBox({
    current: secretsKeyFromBytes(config.secretsKey.reveal()),
    ...(config.secretsKeyPrevious ? { previous: secretsKeyFromBytes(config.secretsKeyPrevious.reveal()) } : {}),
  });
  const backendQueue = queues.jobQueue('webhook-deliveries', {
    outage: {
      trouble: 'Redis trouble in the delivery queue; deliveries wait in Postgres',
      recovered: 'the delivery queue reaches Redis again',
      onError: () => deps.metrics?.onRedisError('delivery_queue'),
    },
    // A worker killed mid-attempt: its job runs again soon (Postgres' claim lease guards double sends).
    stalled: { lockMs: 30_000, checkIntervalMs: 15_000 },
  });
  // Events recorded in the same turn wake their deliveries with one enqueue.
  const deliveryQueue = traceJobQueue(coalesceEnqueues(backendQueue), tracing, { name: 'webhook-deliveries', attributes: { 'messaging.system': messagingSystem(queues) } });
  const bus = createInProcessEventBus();
  const recorder = createEventRecorder({
    clock,
    deliveryQueue,
    bus,
    tracing,
    endpointLimits: deps.endpointLimits,
    // As the unit of work reports a failed after-commit effect: Redis being away is expected, and waited out.
    onEnqueueError: (error) => {
      const message = "an event's webhook deliveries were written but not enqueued; the sweeper re-drives them";
      if (isRedisUnavailableError(error)) logger.debug({ err: error }, message);
      else logger.error({ err: error }, message);
    },
  });
  const useCases = createWebhookUseCases({ uow, clock, outbound, secretBox, recorder, deliveryQueue, limits: deps.endpointLimits });
  // Whether SECRETS_KEY opens the signing secrets this process's worker meets (`webhook_secrets` in /readyz).
  const secretHealth = createSigningSecretHealth();

  /**
   * Starts delivering in this process: the worker and its sweeper (re-enqueues what Postgres says is due).
   * `metrics` gets a counter of job runs by outcome. Returns the stop function.
   */
  function startDeliveryWorker(): () => Promise<void> {
    const metrics = deps.metrics;
    const hostGate = queues.hostGate({
      limit: config.webhooks.maxPerHost,
      leaseMs: config.webhooks.timeoutMs * 2 + 5_000,
      outage: {
        trouble: 'the per-host gate cannot reach Redis; deliveries wait',
        onError: () => metrics?.onRedisError('host_gate'),
      },
    });
    const processDelivery = createProcessDelivery({
      uow,
      clock,
      outbound,
      hostGate,
      secretBox,
      retryPolicy: createRetryPolicy({
        ...(config.webhooks.retryScheduleMs ? { scheduleMs: config.webhooks.retryScheduleMs } : {}),
        clock,
      }),
      deliveryQueue,
      timeoutMs: config.webhooks.timeoutMs,
      claimLeaseMs: config.webhooks.claimLeaseMs,
      secretHealth,
      // Flat fields: the logger redacts anything under `secret`, which would hide which endpoint and key fail.
      onSecretUnavailable: (report) =>
        logger.error(
          {
            endpoint_id: report.endpointId,
            customer_id: report.customerId,
            secret_key_id: report.keyId,
            reason: report.reason,
            detail: report.message,
          },
          'webhook signing secret cannot be opened with SECRETS_KEY; its deliveries wait',
        ),
      onReport: (report) => {
        metrics?.onDeliveryReport(report);
        logDeliveryReport(logger, report);
      },
    });
    const sweepDueDeliveries = createSweepDueDeliveries({ uow, clock, deliveryQueue });
    const handler = countedRuns(deliveryJobHandler(processDelivery), metrics?.registry);
    const worker = deliveryQueue.startWorker((job) => withLogContext({ delivery_id: job.id, ...traceLogFields(tracing) }, () => handler(job)), {
      concurrency: config.webhooks.concurrency,
      onError: (error, job, willRetry) => logJobFailure(logger, { error, job, willRetry, ids: { delivery_id: job.id } }, 'delivery job failed unexpectedly'),
    });
    // Every delivering process schedules the sweep; one at a time runs it (the others skip that round).
    const stopSweeper = every(config.sweepIntervalMs, async () => {
      const run = await deps.leader.run('delivery-sweeper', sweepDueDeliveries);
      if (run.led && run.result > 0) logger.info({ count: run.result }, 're-enqueued due deliveries');
    }, sweepFailed(logger, 'delivery sweep failed; it runs again'));
    return async () => {
      await stopSweeper();
      await worker.close({ timeoutMs: config.webhooks.timeoutMs + 2_000 });
      await hostGate.close();
    };
  }

  return {
    outbound,
    secretBox,
    /** The queue as the backend holds it (its job counts, for metrics). */
    deliveryQueue: backendQueue,
    bus,
    recorder,
    secretHealth,
    useCases,
    startDeliveryWorker,
    close: () => deliveryQueue.close(),
  };
}

/** `messaging.system` of a queue backend's spans. */
export const messagingSystem = (queues: Pick<QueueBackend, 'kind'>): string => (queues.kind === 'redis' ? 'bullmq' : 'in_process');

/**
 * One line per delivery outcome, so a retried delivery is said once when it ends, not at every attempt:
 * success and retries at debug, the final failure (or a 410 disabling the endpoint) at warn.
 */
function logDeliveryReport(logger: Logger, report: DeliveryReport): void {
  const { delivery } = report;
  const fields = {
    ...(delivery && {
      delivery_id: delivery.id,
      customer_id: delivery.customerId,
      instance_id: delivery.instanceId ?? undefined,
      endpoint_id: delivery.endpointId,
      event: delivery.event,
    }),
    outcome: report.outcome,
    attempts: report.attempts,
    response_status: report.responseStatus,
    ...(report.error && { error: report.error }),
  };
  if (report.outcome === 'success') logger.debug(fields, 'webhook delivered');
  else if (report.outcome === 'retry') logger.debug(fields, 'webhook attempt failed; it is retried');
  else if (report.outcome === 'disabled') logger.warn(fields, 'webhook endpoint answered 410 and was disabled; the delivery failed');
  else logger.warn(fields, 'webhook delivery failed for good; it can be replayed');
}

export type Webhooks = ReturnType<typeof createWebhooks>;

/** Counts job runs by outcome (`done`, `deferred`, `failed`) when a registry is given. */
function countedRuns(handler: JobHandler, metrics: MetricsRegistry | undefined): JobHandler {
  if (!metrics) return handler;
  const runs = metrics.counter('whatisup_webhook_delivery_runs_total', 'Delivery job runs in this process, by outcome.', ['outcome']);
  return async (job) => {
    try {
      const outcome = await handler(job);
      runs.inc({ outcome: outcome ? 'deferred' : 'done' });
      return outcome;
    } catch (error) {
      runs.inc({ outcome: 'failed' });
      throw error;
    }
  };
}
