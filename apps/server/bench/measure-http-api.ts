/*
 * Section 1: the authenticated read path. `concurrency` closed-loop clients, each on its own keep-alive
 * connection, send GET /v1/instances back to back for `durationMs` after a warm-up that is not counted.
 * Every request goes through authentication, the Redis rate limiter and a Postgres list query.
 */
import { performance } from 'node:perf_hooks';
import type { BenchClient } from './bench-client.js';
import { perSecond, summarize, type LatencySummary } from './stats.js';

export interface HttpApiResult {
  readonly concurrency: number;
  readonly durationMs: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: LatencySummary;
  /** Responses other than 200, and network errors, by status ('network' for the latter). */
  readonly errors: number;
  readonly errorsByStatus: Record<string, number>;
  /** Server CPU time (user + system) per request, and as a share of one core over the window. */
  readonly serverCpuMsPerRequest: number;
  readonly serverCpuPercent: number;
  /** This process's CPU over the window (the load generator shares the machine with the server). */
  readonly clientCpuPercent: number;
}

export async function measureHttpApi(
  client: BenchClient,
  options: { concurrency: number; warmupMs: number; durationMs: number; serverCpuMs: () => number },
): Promise<HttpApiResult> {
  await closedLoop(client, options.concurrency, options.warmupMs);
  const cpuBefore = options.serverCpuMs();
  const clientBefore = process.cpuUsage();
  const measured = await closedLoop(client, options.concurrency, options.durationMs);
  const cpuMs = options.serverCpuMs() - cpuBefore;
  const clientUsage = process.cpuUsage(clientBefore);
  return {
    concurrency: options.concurrency,
    durationMs: Math.round(measured.elapsedMs),
    requests: measured.latencies.length + measured.errors,
    requestsPerSecond: perSecond(measured.latencies.length + measured.errors, measured.elapsedMs),
    latencyMs: summarize(measured.latencies),
    errors: measured.errors,
    errorsByStatus: measured.errorsByStatus,
    serverCpuMsPerRequest: cpuMs / Math.max(1, measured.latencies.length + measured.errors),
    serverCpuPercent: (100 * cpuMs) / measured.elapsedMs,
    clientCpuPercent: (100 * (clientUsage.user + clientUsage.system)) / 1000 / measured.elapsedMs,
  };
}

async function closedLoop(client: BenchClient, concurrency: number, durationMs: number) {
  const latencies: number[] = [];
  const errorsByStatus: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const until = started + durationMs;
  const worker = async () => {
    while (performance.now() < until) {
      try {
        const response = await client.call('GET', '/v1/instances');
        if (response.status === 200) latencies.push(response.latencyMs);
        else count(String(response.status));
      } catch {
        count('network');
      }
    }
  };
  function count(kind: string) {
    errors += 1;
    errorsByStatus[kind] = (errorsByStatus[kind] ?? 0) + 1;
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, errors, errorsByStatus, elapsedMs: performance.now() - started };
}
