/*
 * Every metric that docker/grafana-dashboard.json and docker/prometheus-alerts.yaml query is one the server
 * exports: a renamed metric would otherwise leave an empty panel or an alert that can never fire. The
 * registry here is the one the roles build (createServerMetrics and the scrape-time gauges, over in-memory
 * adapters); the few metrics registered by the HTTP app and the API role itself are named below and
 * checked on a live process by metrics-move-under-traffic-in-the-api-and-the-worker.int.test.ts.
 */
import { createFakeClock, createInMemoryUnitOfWork } from '@whatisup/core/testing';
import { describe, expect, it } from 'vitest';
import { createServerMetrics } from '../src/metrics/create-server-metrics.js';
import { registerScrapeGauges } from '../src/metrics/register-scrape-gauges.js';
import { HTTP_APP_METRICS, dashboardQueries, familyOf, metricNamesIn, repoFile } from './support/dashboard-metrics.js';
import { parsePrometheusText } from '@whatisup/test-infra';

describe('the dashboard and the alert rules', () => {
  it('query only metrics the server exports', async () => {
    const metrics = createServerMetrics();
    registerScrapeGauges(metrics.registry, {
      uow: createInMemoryUnitOfWork(),
      clock: createFakeClock(),
      queues: { 'webhook-deliveries': { jobCounts: async () => ({ waiting: 0, delayed: 0, active: 0 }) } },
      poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
      messages: true,
    });
    const { types } = parsePrometheusText(await metrics.registry.render());
    const queried = new Set([...dashboardQueries().flatMap((expr) => [...metricNamesIn(expr)]), ...metricNamesIn(repoFile('docker/prometheus-alerts.yaml'))]);
    expect(queried.size).toBeGreaterThan(15);
    const missing = [...queried].filter((name) => familyOf(name, types) === undefined && !HTTP_APP_METRICS.includes(name.replace(/_(bucket|sum|count)$/, '')));
    expect(missing).toEqual([]);
  });

  it('is a dashboard Grafana can import: unique panel ids, each with a query', () => {
    const dashboard = JSON.parse(repoFile('docker/grafana-dashboard.json')) as { uid: string; panels: Array<{ id: number; targets: unknown[] }> };
    expect(dashboard.uid).toBe('whatisup-overview');
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) expect(panel.targets.length).toBeGreaterThan(0);
  });
});
