/*
 * `whatisup worker` on its own, configured as in production but without API_KEY_PEPPER (a worker
 * authenticates nobody): it starts, answers /healthz, /readyz (Postgres and Redis) and /metrics in the
 * Prometheus text format on WORKER_PORT, and stops cleanly on SIGTERM.
 */
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { sharedRedisOrSkip } from './support/redis-for-servers.js';

const redisUrl = sharedRedisOrSkip('worker-serves-health-and-metrics-without-the-key-pepper', '`whatisup worker` takes the Redis it shares with the API processes');

let database: TestDatabase;
let worker: ServerProcess;

beforeAll(async () => {
  if (redisUrl === null) return;
  database = await createTestDatabase();
  const { API_KEY_PEPPER: _pepper, ...env } = testEnv(database.url, redisUrl, {
    NODE_ENV: 'production',
    REDIS_PREFIX: uniqueRedisPrefix('worker-ops'),
    WORKER_PORT: '0',
  });
  worker = await startServer(env, { entry: 'src/cli.ts', args: ['worker'] });
}, 60_000);

afterAll(async () => {
  await worker?.stop('SIGKILL');
  await database?.drop();
});

// Skips only without a Redis (never in CI): a worker-only process takes its jobs from a shared queue.
describe.skipIf(redisUrl === null)('a worker-only process without API_KEY_PEPPER', () => {
  it('answers /healthz and /readyz on its own port', async () => {
    expect(worker.output()).toContain('"role":"worker"');
    const health = await fetch(`${worker.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    // Ready once its checks pass: on a loaded machine the first probe can still find a check's deadline passed.
    let ready: { status: number; body: unknown } = { status: 0, body: null };
    await until(
      async () => {
        const response = await fetch(`${worker.url}/readyz`);
        ready = { status: response.status, body: await response.json() };
        return response.status === 200;
      },
      { timeoutMs: 15_000, intervalMs: 100, message: () => `/readyz answered ${ready.status} ${JSON.stringify(ready.body)}` },
    );
    expect(ready.body).toEqual({ status: 'ok', checks: { postgres: true, redis: true, webhook_secrets: true } });
  });

  it('serves /metrics in the Prometheus text format, and nothing else', async () => {
    const metrics = await fetch(`${worker.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toContain('# TYPE whatisup_webhook_delivery_concurrency gauge');
    expect(text).toMatch(/^whatisup_webhook_delivery_concurrency 32$/m);
    const unknown = await fetch(`${worker.url}/v1/instances`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('stops with exit code 0 on SIGTERM', async () => {
    expect(await worker.stop('SIGTERM')).toBe(0);
  });
});
