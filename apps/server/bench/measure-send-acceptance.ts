/*
 * Section 6: accepting staged sends beside the baseline (a bare route that validates a similar body,
 * INSERTs it and adds a BullMQ job), `connections` keep-alive connections each:
 *   - the baseline;
 *   - ours over `instances` connected sandbox instances, round-robin; then until none is left queued;
 *   - ours on one instance (its outbox keeps acceptance order, so this is the per-instance ceiling);
 *   - ours at one connection (the latency of a lone request), run first on its own instance.
 * Accepted messages are sent meanwhile by the server, as in production.
 */
import { createBenchClient, type BenchClient } from './bench-client.js';
import { anyIn, connectSandboxInstances } from './measure-message-sending.js';
import { formatPool, samplePool, type PoolSample } from './pool-sampler.js';
import { sleep } from './server-process.js';
import { perSecond, runBounded, summarize, type LatencySummary } from './stats.js';

export interface AcceptRun {
  readonly requests: number;
  readonly acceptedPerSecond: number;
  readonly latencyMs: LatencySummary;
  readonly errors: number;
  readonly cpuMsPerRequest: number;
}

export interface SendAcceptanceResult {
  readonly connections: number;
  readonly instances: number;
  readonly baseline: AcceptRun;
  readonly ours: AcceptRun;
  /** The server's Postgres pool while `ours` was accepted. */
  readonly oursPool: PoolSample;
  /** From the first request of `ours` until none of its messages was left queued. */
  readonly oursSentPerSecond: number;
  readonly oneInstance: AcceptRun;
  readonly oneConnection: AcceptRun;
}

type Send = (client: BenchClient, index: number) => Promise<boolean>;

export async function measureSendAcceptance(
  serverUrl: string,
  apiKey: string,
  baseline: { url: string; cpuMs: () => number },
  options: { instances: number; count: number; connections: number; timeoutMs: number; serverCpuMs: () => number; metricsClient: BenchClient },
): Promise<SendAcceptanceResult> {
  const ourClient = createBenchClient(serverUrl, apiKey, { maxSockets: options.connections });
  const baselineClient = createBenchClient(baseline.url, 'none', { maxSockets: options.connections });
  try {
    const instanceIds = await connectSandboxInstances(ourClient, options.instances + 2, Date.now() + 60_000, 'bench-accept');
    const [lone, single, ...spread] = instanceIds as [string, string, ...string[]];
    const body = (index: number) => ({ to: `4915550${String(index % 1000).padStart(4, '0')}`, body: { type: 'text', text: `benchmark message ${index}` } });
    const toInstances =
      (ids: readonly string[]): Send =>
      async (client, index) =>
        (await client.call('POST', `/v1/instances/${ids[index % ids.length]!}/messages`, body(index))).status === 202;
    const toBaseline: Send = async (client, index) => (await client.call('POST', `/messages/inst-${index % options.instances}`, body(index))).status === 202;

    const oneConnection = await run(ourClient, toInstances([lone]), Math.max(20, options.count / 10), 1, options.serverCpuMs);
    await run(baselineClient, toBaseline, 200, options.connections, baseline.cpuMs);
    const baselineRun = await run(baselineClient, toBaseline, options.count, options.connections, baseline.cpuMs);
    await drained(ourClient, Date.now() + options.timeoutMs);
    const started = Date.now();
    const pool = samplePool(options.metricsClient);
    const ours = await run(ourClient, toInstances(spread), options.count, options.connections, options.serverCpuMs);
    const oursPool = await pool.stop();
    await drained(ourClient, started + options.timeoutMs);
    const sentMs = Date.now() - started;
    const oneInstance = await run(ourClient, toInstances([single]), Math.round(options.count / 2), options.connections, options.serverCpuMs);
    return {
      connections: options.connections,
      instances: spread.length,
      baseline: baselineRun,
      ours,
      oursPool,
      oursSentPerSecond: perSecond(ours.requests - ours.errors, sentMs),
      oneInstance,
      oneConnection,
    };
  } finally {
    ourClient.close();
    baselineClient.close();
  }
}

async function run(client: BenchClient, send: Send, count: number, connections: number, cpuMs: () => number): Promise<AcceptRun> {
  const latencies: number[] = [];
  let errors = 0;
  const cpuBefore = cpuMs();
  const started = Date.now();
  await runBounded(count, connections, async (index) => {
    const begun = performance.now();
    const ok = await send(client, index).catch(() => false);
    if (ok) latencies.push(performance.now() - begun);
    else errors += 1;
  });
  const elapsed = Date.now() - started;
  return {
    requests: count,
    acceptedPerSecond: perSecond(latencies.length, elapsed),
    latencyMs: summarize(latencies),
    errors,
    cpuMsPerRequest: (cpuMs() - cpuBefore) / Math.max(1, latencies.length),
  };
}

async function drained(client: BenchClient, deadline: number): Promise<void> {
  while (await anyIn(client, 'queued')) {
    if (Date.now() > deadline) throw new Error('messages still queued at the deadline');
    await sleep(50);
  }
}

const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const line = (r: AcceptRun) => `${n(r.acceptedPerSecond)}/s, p50 / p99 ${n(r.latencyMs.p50, 1)} / ${n(r.latencyMs.p99, 1)} ms, ${r.errors} errors`;

export function formatSendAcceptance(r: SendAcceptanceResult): Array<[string, string]> {
  return [
    ['connections', String(r.connections)],
    ['baseline (INSERT + BullMQ add)', line(r.baseline)],
    [`ours over ${r.instances} instances`, line(r.ours)],
    ['ours / baseline: rate, p99', `${n(r.ours.acceptedPerSecond / r.baseline.acceptedPerSecond, 2)}, ${n(r.ours.latencyMs.p99 / r.baseline.latencyMs.p99, 2)}`],
    ['ours: Postgres pool while accepting', formatPool(r.oursPool)],
    ['ours: sent/s until none queued', n(r.oursSentPerSecond)],
    ['ours on one instance', line(r.oneInstance)],
    ['ours at one connection', line(r.oneConnection)],
    ['CPU per request: ours / baseline', `${n(r.ours.cpuMsPerRequest, 2)} / ${n(r.baseline.cpuMsPerRequest, 2)} ms (ours includes sending)`],
  ];
}
