/*
 * The worker role (`whatisup worker`): only what webhook delivery needs, the delivery worker, its sweeper
 * and retention (start-retention.ts), plus a small HTTP port (WORKER_PORT) for `/healthz`, `/readyz` and `/metrics`.
 * It authenticates nobody, so it builds no tenancy and needs no API_KEY_PEPPER. Any number of workers and
 * API processes can share one Postgres and one Redis (same REDIS_PREFIX).
 */
import { isRedisUnavailableError } from '@whatisup/queue-bullmq';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config/load-worker-config.js';
import { createFoundation } from '../compose/create-foundation.js';
import { createReadiness } from '../compose/create-readiness.js';
import { createWebhooks } from '../compose/create-webhooks.js';
import { startRetention } from '../compose/start-retention.js';
import { createStopList } from '../compose/stop-list.js';
import { createQueueBackend, queueBackendTarget } from '../embedded/create-queue-backend.js';
import { createServerMetrics } from '../metrics/create-server-metrics.js';
import { registerScrapeGauges } from '../metrics/register-scrape-gauges.js';
import { startTelemetry } from '../telemetry/start-telemetry.js';
import { startOperationsServer } from './operations-server.js';
import type { RunningRole } from './running-role.js';

export async function startWorkerRole(config: WorkerConfig, logger: Logger): Promise<RunningRole> {
  const stops = createStopList(logger);
  try {
    // Stopped after everything that makes spans, so their last spans are exported.
    const { tracing } = startTelemetry(config, logger, stops, 'worker');
    const foundation = createFoundation(config, logger, { isExpectedEffectError: isRedisUnavailableError });
    stops.push('database', () => foundation.close());
    const metrics = createServerMetrics();
    const { registry } = metrics;
    registry.gauge('whatisup_webhook_delivery_concurrency', 'WEBHOOK_CONCURRENCY of this worker.', [], (gauge) => {
      gauge.set({}, config.webhooks.concurrency);
    });

    const queues = createQueueBackend(queueBackendTarget(config), logger);
    const webhooks = createWebhooks(config, logger.child({ component: 'webhooks' }), { ...foundation, queues, metrics, tracing });
    stops.push('webhook queue', () => webhooks.close());
    stops.push('delivery worker', webhooks.startDeliveryWorker());
    stops.push('retention', startRetention(config, logger.child({ component: 'retention' }), foundation));
    registerScrapeGauges(registry, {
      uow: foundation.uow,
      clock: foundation.clock,
      queues: { 'webhook-deliveries': webhooks.deliveryQueue },
      poolStats: foundation.poolStats,
      messages: false,
      onError: (source, error) => logger.warn({ err: error, source }, 'a metrics source cannot be read; its gauges keep their last value'),
    });
    logger.info({ role: 'worker', concurrency: config.webhooks.concurrency }, 'delivery worker started');

    const readiness = createReadiness(queues, foundation);
    stops.push('readiness', () => readiness.close());
    const server = await startOperationsServer({
      host: config.host,
      port: config.workerPort,
      registry,
      bearerToken: config.metricsToken?.reveal(),
      readiness: async () => ({ ...(await readiness.check()), webhook_secrets: webhooks.secretHealth.ready() }),
      logger: logger.child({ component: 'http' }),
    });
    stops.push('http server', () => server.close());
    logger.info({ address: server.address, role: 'worker' }, 'listening');
    return { address: server.address, stop: () => stops.stopAll(), pending: () => stops.pending() };
  } catch (error) {
    await stops.stopAll();
    throw error;
  }
}
