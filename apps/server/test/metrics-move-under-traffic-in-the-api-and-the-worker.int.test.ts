/*
 * Each role serves its own /metrics in strict Prometheus text, and the counters move with real traffic: an
 * API-only process (`serve --no-worker`) sends a message through a sandbox instance and records its events,
 * a worker-only process (`whatisup worker`) delivers them to a local receiver. Before/after scrapes show the
 * message moves (`whatisup_messages_total`) on the API and the delivery outcomes, latency and attempts on
 * the worker; the gauges read at scrape time (backlog, queues, pool, sessions) and the process metrics are
 * there on both; and every metric the dashboard queries is exported by one of them.
 */
import {
  createTestDatabase,
  parsePrometheusText,
 
  uniqueRedisPrefix,
  until,
  type Sample,
  type TestDatabase,
} from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { HTTP_APP_METRICS, dashboardQueries, familyOf, metricNamesIn } from './support/dashboard-metrics.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { sharedRedisOrSkip } from './support/redis-for-servers.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const redisUrl = sharedRedisOrSkip('metrics-move-under-traffic-in-the-api-and-the-worker', 'a worker-only process shares the queue with the API process, which takes a Redis');

let database: TestDatabase;
let apiProcess: ServerProcess;
let workerProcess: ServerProcess;
let receiver: WebhookReceiver;
let api: ApiClient;
let instanceId: string;

beforeAll(async () => {
  if (redisUrl === null) return;
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  const env = testEnv(database.url, redisUrl, {
    REDIS_PREFIX: uniqueRedisPrefix('metrics'),
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    SANDBOX_AUTO_SCAN_MS: '50',
    SWEEP_INTERVAL_MS: '500',
    WORKER_PORT: '0',
  });
  apiProcess = await startServer(env, { entry: 'src/cli.ts', args: ['serve', '--no-worker'] });
  workerProcess = await startServer(env, { entry: 'src/cli.ts', args: ['worker'] });
  api = createApiClient(apiProcess.url, await bootstrapKeyOf(apiProcess));
  const endpoint = await api.post('/v1/webhook-endpoints', { url: `${receiver.url}/metrics`, events: ['message.sent'] });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  instanceId = await connectSandboxInstance(api, 'metrics');
}, 90_000);

afterAll(async () => {
  await workerProcess?.stop();
  await apiProcess?.stop();
  await receiver?.close();
  await database?.drop();
});

interface Scrape {
  readonly samples: Sample[];
  readonly types: Record<string, string>;
}

async function scrape(process: ServerProcess): Promise<Scrape> {
  const response = await fetch(`${process.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await response.text();
  // Bounded labels: no id, key or URL of a customer ever shows up.
  expect(text).not.toMatch(/inst_|cus_|msg_|dlv_|127\.0\.0\.1:/);
  return parsePrometheusText(text);
}

/** Sum of the samples named `name` whose labels include `labels` (0 when none: a series not yet seen). */
const total = ({ samples }: Scrape, name: string, labels: Record<string, string> = {}): number =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);

// Skips only without a Redis (never in CI): the API and worker processes share one queue.
describe.skipIf(redisUrl === null)('/metrics of the API and of the worker', () => {
  it('both carry the process metrics and the gauges read at scrape time', async () => {
    for (const process of [apiProcess, workerProcess]) {
      const metrics = await scrape(process);
      expect(metrics.types['nodejs_eventloop_lag_seconds']).toBe('gauge');
      expect(metrics.types['nodejs_gc_duration_seconds']).toBe('histogram');
      expect(metrics.types['nodejs_heap_size_used_bytes']).toBe('gauge');
      expect(metrics.types['nodejs_active_handles_total']).toBe('gauge');
      expect(total(metrics, 'whatisup_scrape_source_up', { source: 'webhook_deliveries' })).toBe(1);
      expect(total(metrics, 'whatisup_scrape_source_up', { source: 'queue_webhook_deliveries' })).toBe(1);
      expect(metrics.samples.some((s) => s.name === 'whatisup_queue_jobs' && s.labels['queue'] === 'webhook-deliveries')).toBe(true);
      expect(total(metrics, 'whatisup_db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
      expect(total(metrics, 'whatisup_db_pool_connections')).toBeGreaterThan(0);
      expect(total(metrics, 'whatisup_sessions', { status: 'connected' })).toBeGreaterThanOrEqual(1);
    }
    const apiMetrics = await scrape(apiProcess);
    expect(apiMetrics.samples.some((s) => s.name === 'whatisup_queue_jobs' && s.labels['queue'] === 'message-outbox')).toBe(true);
    expect(total(apiMetrics, 'whatisup_scrape_source_up', { source: 'messages' })).toBe(1);
  });

  it('count a sandbox send on the API and its webhook delivery on the worker', async () => {
    const [apiBefore, workerBefore] = [await scrape(apiProcess), await scrape(workerProcess)];
    const accepted = await api.post<{ message_id: string }>(`/v1/instances/${instanceId}/messages`, {
      to: '4915112345678',
      body: { type: 'text', text: 'counted' },
    });
    expect(accepted.status).toBe(202);
    await receiver.waitFor((all) => all.some((r) => r.body.includes(accepted.body.message_id)), 'message.sent for the counted message');

    const delivered = { outcome: 'success', status_class: '2xx' };
    let workerAfter = await scrape(workerProcess);
    // The receiver has the request before the worker commits the outcome: wait for the count, not a time.
    await until(
      async () => {
        workerAfter = await scrape(workerProcess);
        return total(workerAfter, 'whatisup_webhook_deliveries_total', delivered) > total(workerBefore, 'whatisup_webhook_deliveries_total', delivered);
      },
      { timeoutMs: 10_000, intervalMs: 100, message: () => 'the worker never counted the delivery' },
    );
    expect(total(workerAfter, 'whatisup_webhook_deliveries_total', delivered) - total(workerBefore, 'whatisup_webhook_deliveries_total', delivered)).toBe(1);
    const latency = 'whatisup_webhook_delivery_latency_seconds_count';
    expect(total(workerAfter, latency) - total(workerBefore, latency)).toBe(1);
    const attempts = { outcome: 'success', le: '1' };
    expect(total(workerAfter, 'whatisup_webhook_delivery_attempts_bucket', attempts) - total(workerBefore, 'whatisup_webhook_delivery_attempts_bucket', attempts)).toBe(1);

    const apiAfter = await scrape(apiProcess);
    for (const to of ['queued', 'sent']) {
      expect(total(apiAfter, 'whatisup_messages_total', { to }) - total(apiBefore, 'whatisup_messages_total', { to }), to).toBe(1);
    }
    const posts = { method: 'POST', route: '/v1/instances/:id/messages', status_class: '2xx' };
    expect(total(apiAfter, 'whatisup_http_requests_total', posts) - total(apiBefore, 'whatisup_http_requests_total', posts)).toBe(1);
    // The API process delivers nothing: its delivery counters stay where they were.
    expect(total(apiAfter, 'whatisup_webhook_deliveries_total')).toBe(total(apiBefore, 'whatisup_webhook_deliveries_total'));
  });

  it('count refused keys on the API', async () => {
    const before = await scrape(apiProcess);
    const refused = await fetch(`${apiProcess.url}/v1/instances`, { headers: { authorization: 'Bearer wiu_not_a_key' } });
    expect(refused.status).toBe(401);
    const after = await scrape(apiProcess);
    const name = 'whatisup_http_authentication_failures_total';
    expect(total(after, name) - total(before, name)).toBe(1);
  });

  it('export every metric the dashboard queries between them', async () => {
    const [apiMetrics, workerMetrics] = [await scrape(apiProcess), await scrape(workerProcess)];
    const types = { ...workerMetrics.types, ...apiMetrics.types };
    const queried = new Set(dashboardQueries().flatMap((expr) => [...metricNamesIn(expr)]));
    expect([...queried].filter((name) => familyOf(name, types) === undefined)).toEqual([]);
    for (const name of HTTP_APP_METRICS) expect(apiMetrics.types[name], name).toBeDefined();
  });
});
