/*
 * The composition root: the one place that creates adapters. It builds what the role needs, starts it,
 * and returns a stop function that closes everything in reverse order of creation.
 *
 * Roles: `all` (DESIGN section 1: HTTP API, WhatsApp sessions and the webhook delivery worker in one
 * process), `api` (everything but the delivery worker), `worker` (only the delivery worker and its sweeper).
 * Every role schedules retention, which one process at a time runs. Any mix of `api`/`worker` processes can share one Postgres and one Redis.
 */
import {
  buildHttpApp,
  createMetricsRegistry,
  eventStreamRoutes,
  eventTokenRoutes,
  mediaRoutes,
  messageRoutes,
  pairingPageRoutes,
  sandboxRoutes,
  sessionRoutes,
  webhookDeliveryRoutes,
  webhookEndpointRoutes,
} from '@whatisup/http-fastify';
import { createKyselyRetentionJob } from '@whatisup/persistence-kysely';
import { createRedisRateLimiter } from '@whatisup/queue-bullmq';
import { createMintEventToken, createVerifyEventToken, deliveryJobHandler } from '@whatisup/core';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import { createFoundation, type Foundation } from './create-foundation.js';
import { createMessages } from './create-messages.js';
import { deriveKey } from './derive-key.js';
import { createSessions } from './create-sessions.js';
import { createWebhooks } from './create-webhooks.js';
import { every } from './every.js';

export type Role = 'all' | 'api' | 'worker';

export interface RunningApplication {
  readonly foundation: Foundation;
  /** The HTTP address when the role serves HTTP, e.g. http://127.0.0.1:3000. */
  readonly address: string | null;
  stop(): Promise<void>;
}

const LAST_USED_FLUSH_MS = 10_000;
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

export async function startApplication(config: Config, logger: Logger, options: { role: Role }): Promise<RunningApplication> {
  const stops: Array<() => Promise<void>> = [];
  const foundation = createFoundation(config, logger);
  stops.push(() => foundation.close());
  const { uow, clock } = foundation;
  let address: string | null = null;

  try {
    const webhooks = createWebhooks(config, logger.child({ component: 'webhooks' }), { uow, clock });
    stops.push(() => webhooks.close());

    // Every process schedules retention; a Postgres advisory lock lets one of them run it each time.
    const retention = createKyselyRetentionJob(foundation.db, {
      clock,
      successRetentionDays: config.webhooks.successRetentionDays,
      failedRetentionDays: config.webhooks.failedRetentionDays,
      messageRetentionDays: config.messages.retentionDays,
    });
    stops.push(
      every(RETENTION_INTERVAL_MS, async () => {
        const report = await retention();
        if (report !== null) logger.info(report, 'retention ran');
      }, (error) => logger.error({ err: error }, 'retention failed')),
    );

    if (options.role !== 'api') {
      const worker = webhooks.deliveryQueue.startWorker(deliveryJobHandler(webhooks.processDelivery), {
        concurrency: config.webhooks.concurrency,
        onError: (error, job, willRetry) =>
          logger.error({ err: error, delivery_id: job.id, will_retry: willRetry }, 'delivery job failed unexpectedly'),
      });
      stops.push(() => worker.close({ timeoutMs: config.webhooks.timeoutMs + 2_000 }));
      const onSweepError = (error: unknown) => logger.error({ err: error }, 'delivery sweep failed');
      stops.push(
        every(config.sweepIntervalMs, async () => {
          const count = await webhooks.sweepDueDeliveries();
          if (count > 0) logger.info({ count }, 're-enqueued due deliveries');
        }, onSweepError),
      );
      logger.info({ role: options.role, concurrency: config.webhooks.concurrency }, 'delivery worker started');
    }

    if (options.role !== 'worker') {
      const messages = createMessages(config, logger.child({ component: 'messages' }), {
        uow,
        clock,
        events: webhooks.recorder,
        outbound: webhooks.outbound,
      });
      stops.push(() => messages.close());
      const sessions = createSessions(config, logger.child({ component: 'sessions' }), {
        uow,
        clock,
        events: webhooks.recorder,
        ...messages.traffic,
      });
      stops.push(() => sessions.closeAll());
      foundation.attachSessions(sessions);
      // Outboxes are drained where the sockets live: this process.
      stops.push(messages.startOutboxWorker(sessions));
      // Messages queued while an instance was down go out as soon as it connects, not at the next retry.
      stops.push(messages.wakeOutboxesOnConnect(webhooks.bus));
      stops.push(
        every(config.sweepIntervalMs, async () => {
          const { woken } = await messages.sweepOutboxes();
          if (woken > 0) logger.info({ woken }, 'woke outboxes with queued messages');
        }, (error) => logger.error({ err: error }, 'outbox sweep failed')),
      );

      const flush = setInterval(() => {
        foundation.authenticator.flushLastUsed().catch((error) => logger.warn({ err: error }, 'could not record key use'));
      }, LAST_USED_FLUSH_MS);
      flush.unref();
      stops.push(async () => clearInterval(flush));

      const rateLimiter = createRedisRateLimiter({
        redisUrl: config.redisUrl.reveal(),
        prefix: config.redisPrefix,
        capacity: config.rateLimit.capacity,
        refillPerSecond: config.rateLimit.refillPerSecond,
        onConnectionError: (error) => logger.warn({ err: error }, 'rate limiter cannot reach Redis; requests pass unlimited'),
      });
      stops.push(() => rateLimiter.close());
      const eventTokenKey = deriveKey(config.secretsKey.reveal(), 'event-tokens');
      const verifyEventToken = createVerifyEventToken({ clock, key: eventTokenKey });
      const streams = new AbortController();
      const registry = createMetricsRegistry();
      registry.gauge('whatisup_sessions_live', 'WhatsApp sessions open in this process.', [], (gauge) => {
        gauge.set({}, sessions.stats().live);
      });
      registry.gauge('whatisup_sessions_max', 'MAX_SESSIONS_PER_WORKER of this process.', [], (gauge) => {
        gauge.set({}, sessions.stats().max);
      });

      const http = await buildHttpApp({
        rateLimiter,
        metrics: { registry, bearerToken: config.metricsToken?.reveal() },
        useCases: foundation.useCases,
        authenticator: foundation.authenticator,
        logger: logger.child({ component: 'http' }),
        bodyLimitBytes: config.http.bodyLimitBytes,
        info: { title: 'WhatIsUp', version: '1.0.0', publicUrl: config.publicUrl },
        readiness: async () => ({ postgres: await ping(foundation), redis: await webhooks.deliveryQueue.isHeld('readiness-probe').then(() => true, () => false) }),
        routes: [
          ...sessionRoutes({ sessions }),
          ...sandboxRoutes({ sandbox: sessions }),
          ...messageRoutes(messages.useCases),
          ...mediaRoutes(messages.useCases),
          ...webhookEndpointRoutes(webhooks.useCases),
          ...webhookDeliveryRoutes(webhooks.useCases),
          ...eventTokenRoutes({ mintEventToken: createMintEventToken({ uow, clock, key: eventTokenKey }) }),
          ...eventStreamRoutes({
            bus: webhooks.bus,
            authenticator: foundation.authenticator,
            verifyEventToken,
            getInstance: foundation.useCases.getInstance,
            shutdown: streams.signal,
          }),
          ...pairingPageRoutes({ verifyEventToken }),
        ],
      });
      address = await http.listen({ port: config.port, host: config.host });
      // Open event streams end first, or they would hold http.close() open.
      stops.push(async () => {
        streams.abort();
        await http.close();
      });
      logger.info({ address, role: options.role }, 'listening');

      void sessions.resumeAll().then(
        (report) => logger.info(report, 'resumed sessions'),
        (error: unknown) => logger.error({ err: error }, 'resuming sessions failed'),
      );
    }
  } catch (error) {
    await stopAll(stops, logger);
    throw error;
  }

  return { foundation, address, stop: () => stopAll(stops, logger) };
}

async function ping(foundation: Foundation): Promise<boolean> {
  try {
    await foundation.uow.repos.customers.any();
    return true;
  } catch {
    return false;
  }
}

async function stopAll(stops: Array<() => Promise<void>>, logger: Logger): Promise<void> {
  for (const stop of stops.reverse()) {
    await stop().catch((error) => logger.error({ err: error }, 'error while stopping'));
  }
}
