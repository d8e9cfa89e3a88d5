/* The metric names that docker/grafana-dashboard.json and docker/prometheus-alerts.yaml query. */
import { readFileSync } from 'node:fs';

export const repoFile = (path: string): string => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');

/** Registered by @whatisup/http-fastify's app and by the API role, not by the shared server metrics. */
export const HTTP_APP_METRICS = [
  'whatisup_http_requests_total',
  'whatisup_http_request_duration_seconds',
  'whatisup_http_throttled_total',
  'whatisup_http_authentication_failures_total',
  'whatisup_rate_limiter_failures_total',
  'whatisup_event_streams_open',
  'whatisup_sessions_live',
];

/** Metric names in PromQL text: ours and prom-client's process metrics. */
export function metricNamesIn(text: string): Set<string> {
  return new Set(text.match(/\b(?:whatisup|nodejs|process)_[a-z0-9_]+\b/g) ?? []);
}

export function dashboardQueries(): string[] {
  const dashboard = JSON.parse(repoFile('docker/grafana-dashboard.json')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
  return dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
}

/** The family a sample name belongs to, given the families' types (a histogram's `_bucket` is its own). */
export function familyOf(name: string, types: Record<string, string>): string | undefined {
  if (types[name] !== undefined) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return types[base] === 'histogram' ? base : undefined;
}

