/*
 * The webhook pipeline's adapters and use cases: the SSRF-safe outbound client, the sealed-secret box,
 * the delivery queue and per-host gate in Redis, the transactional event recorder (which also feeds the
 * SSE bus) and the delivery worker's handler and sweeper (retention runs in start-application.ts).
 */
import {
  createEventRecorder,
  createInProcessEventBus,
  createProcessDelivery,
  createRetryPolicy,
  createSecretBox,
  createSweepDueDeliveries,
  createWebhookUseCases,
  secretsKeyFromBytes,
  type Clock,
  type UnitOfWork,
} from '@whatisup/core';
import { createUndiciOutboundHttp, parseAllowCidrs } from '@whatisup/outbound-undici';
import { createBullmqJobQueue, createRedisHostGate } from '@whatisup/queue-bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';

export function createWebhooks(config: Config, logger: Logger, deps: { uow: UnitOfWork; clock: Clock }) {
  const { uow, clock } = deps;
  const redisUrl = config.redisUrl.reveal();
  const outbound = createUndiciOutboundHttp({
    requireHttps: config.nodeEnv === 'production',
    allowCidrs: parseAllowCidrs([...config.webhooks.allowCidrs]),
    timeoutMs: config.webhooks.timeoutMs,
  });
  const secretBox = createSecretBox({
    current: secretsKeyFromBytes(config.secretsKey.reveal()),
    ...(config.secretsKeyPrevious ? { previous: secretsKeyFromBytes(config.secretsKeyPrevious.reveal()) } : {}),
  });
  const onInfrastructureError = (error: Error) => logger.warn({ err: error }, 'Redis trouble in the delivery queue');
  const deliveryQueue = createBullmqJobQueue({
    redisUrl,
    name: 'webhook-deliveries',
    prefix: config.redisPrefix,
    onInfrastructureError,
    // A worker killed mid-attempt: its job runs again soon (Postgres' claim lease guards double sends).
    stalled: { lockMs: 30_000, checkIntervalMs: 15_000 },
  });
  const hostGate = createRedisHostGate({
    redisUrl,
    limit: config.webhooks.maxPerHost,
    leaseMs: config.webhooks.timeoutMs * 2 + 5_000,
    prefix: config.redisPrefix,
  });
  const bus = createInProcessEventBus();
  const recorder = createEventRecorder({ clock, deliveryQueue, bus });
  const retryPolicy = createRetryPolicy({
    ...(config.webhooks.retryScheduleMs ? { scheduleMs: config.webhooks.retryScheduleMs } : {}),
    clock,
  });
  const processDelivery = createProcessDelivery({
    uow,
    clock,
    outbound,
    hostGate,
    secretBox,
    retryPolicy,
    deliveryQueue,
    timeoutMs: config.webhooks.timeoutMs,
    claimLeaseMs: config.webhooks.claimLeaseMs,
  });
  const sweepDueDeliveries = createSweepDueDeliveries({ uow, clock, deliveryQueue });
  const useCases = createWebhookUseCases({ uow, clock, outbound, secretBox, recorder, deliveryQueue });
  return {
    outbound,
    secretBox,
    deliveryQueue,
    hostGate,
    bus,
    recorder,
    processDelivery,
    sweepDueDeliveries,
    useCases,
    async close(): Promise<void> {
      await deliveryQueue.close();
      await hostGate.close();
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
