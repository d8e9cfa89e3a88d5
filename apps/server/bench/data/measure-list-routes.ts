/*
 * The list and filter routes of webhook deliveries through the real server: for each route, `concurrency`
 * closed-loop clients for `durationMs`, latencies summarised. The filters cover a common value (an
 * endpoint, an event), a rarer one (status=failed, an instance), a rare one (status=pending) and a page
 * deep into the table (a cursor 20 days back).
 */
import { performance } from 'node:perf_hooks';
import type { BenchClient } from '../bench-client.js';
import { summarize, type LatencySummary } from '../stats.js';

export interface RouteLatency {
  readonly route: string;
  readonly latencyMs: LatencySummary;
  readonly errors: number;
  /** Rows on the measured page (a page is at most 50). */
  readonly pageRows: number;
}

export async function measureListRoutes(
  client: BenchClient,
  routes: readonly string[],
  options: { concurrency: number; durationMs: number },
): Promise<RouteLatency[]> {
  const results: RouteLatency[] = [];
  for (const route of routes) {
    const first = await client.call<{ data?: unknown[] }>('GET', route);
    if (first.status !== 200) throw new Error(`GET ${route} answered ${first.status}: ${JSON.stringify(first.body)}`);
    const latencies: number[] = [];
    let errors = 0;
    const until = performance.now() + options.durationMs;
    const worker = async () => {
      while (performance.now() < until) {
        const response = await client.call('GET', route).catch(() => null);
        if (response?.status === 200) latencies.push(response.latencyMs);
        else errors += 1;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    results.push({ route, latencyMs: summarize(latencies), errors, pageRows: first.body.data?.length ?? 0 });
  }
  return results;
}
