/*
 * Section 5: the webhook pipeline beside its baseline, then under open-loop load.
 *
 * 1. Closed loop: `count` webhook.test events over 4 endpoints on 4 receivers (4 gate hosts), `concurrency`
 *    requests in flight, until all have arrived; the same count through the baseline's minimal pipeline
 *    (INSERT, BullMQ add, undici POST, UPDATE) at the same in-flight count, to the same receivers.
 * 2. Open loop: events fired at a fixed rate, half the closed loop's delivered/s, for `openLoopMs`;
 *    latency from `occurred_at` to arrival (nothing piles up, so this is the latency of the pipeline itself).
 * 3. Slow host: the same open loop while a fifth endpoint, on a receiver that never answers, gets events
 *    too and holds its host's slots until the request times out; the four other hosts' p99 against (2).
 */
import { startWebhookReceiver, type WebhookReceiver } from '../test/support/webhook-receiver.js';
import type { BenchClient } from './bench-client.js';
import { formatPool, samplePool, type PoolSample } from './pool-sampler.js';
import { sleep } from './server-process.js';
import { perSecond, runBounded, summarize, type LatencySummary } from './stats.js';

export interface PipelineRun {
  readonly events: number;
  readonly deliveriesPerSecond: number;
  readonly endToEndLatencyMs: LatencySummary;
  readonly errors: number;
  readonly missing: number;
  readonly cpuMsPerEvent: number;
}

export interface OpenLoopRun {
  readonly ratePerSecond: number;
  readonly events: number;
  readonly endToEndLatencyMs: LatencySummary;
  readonly missing: number;
}

export interface WebhookPipelineResult {
  readonly hosts: number;
  readonly concurrency: number;
  readonly ours: PipelineRun;
  /** The server's Postgres pool while `ours` ran. */
  readonly oursPool: PoolSample;
  readonly baseline: PipelineRun;
  readonly openLoop: OpenLoopRun;
  /** The same open loop to the fast hosts while one more host never answers. */
  readonly withSlowHost: OpenLoopRun;
  readonly slowHostRatePerSecond: number;
}

type Fire = (index: number) => Promise<string | null>;

const HOSTS = 4;

export async function measureWebhookPipeline(
  client: BenchClient,
  baseline: { client: BenchClient; cpuMs: () => number },
  options: { count: number; concurrency: number; openLoopMs: number; timeoutMs: number; serverCpuMs: () => number; metricsClient: BenchClient },
): Promise<WebhookPipelineResult> {
  const receivers = await Promise.all(Array.from({ length: HOSTS }, () => startWebhookReceiver()));
  const slow = await startWebhookReceiver({ reply: () => 'hang' });
  try {
    const endpointIds = await Promise.all(receivers.map((receiver, i) => createEndpoint(client, `${receiver.url}/pipeline-${i}`)));
    const slowEndpointId = await createEndpoint(client, `${slow.url}/slow`);
    const ours: Fire = async (index) => {
      const response = await client.call<{ event_id: string }>('POST', `/v1/webhook-endpoints/${endpointIds[index % HOSTS]!}/test`);
      return response.status === 202 ? response.body.event_id : null;
    };
    const theBaseline: Fire = async (index) => {
      const response = await baseline.client.call<{ event_id: string }>('POST', '/events', { url: `${receivers[index % HOSTS]!.url}/baseline` });
      return response.status === 202 ? response.body.event_id : null;
    };
    await closedLoop(ours, receivers, Math.min(100, options.count), options, options.serverCpuMs);
    await closedLoop(theBaseline, receivers, Math.min(100, options.count), options, baseline.cpuMs);
    const pool = samplePool(options.metricsClient);
    const oursRun = await closedLoop(ours, receivers, options.count, options, options.serverCpuMs);
    const oursPool = await pool.stop();
    const baselineRun = await closedLoop(theBaseline, receivers, options.count, options, baseline.cpuMs);

    const rate = Math.max(1, Math.round(oursRun.deliveriesPerSecond / 2));
    const openLoopRun = await openLoop(ours, receivers, rate, options.openLoopMs, options.timeoutMs);
    const slowRate = Math.max(1, Math.round(rate / 10));
    const slowFiring = openLoop(
      async () => {
        const response = await client.call<{ event_id: string }>('POST', `/v1/webhook-endpoints/${slowEndpointId}/test`);
        return response.status === 202 ? response.body.event_id : null;
      },
      [],
      slowRate,
      options.openLoopMs + 2_000,
      0,
    );
    await sleep(2_000);
    const withSlowHost = await openLoop(ours, receivers, rate, options.openLoopMs, options.timeoutMs);
    await slowFiring;
    await client.call('DELETE', `/v1/webhook-endpoints/${slowEndpointId}`);
    return {
      hosts: HOSTS,
      concurrency: options.concurrency,
      ours: oursRun,
      oursPool,
      baseline: baselineRun,
      openLoop: openLoopRun,
      withSlowHost,
      slowHostRatePerSecond: slowRate,
    };
  } finally {
    await Promise.all([...receivers, slow].map((receiver) => receiver.close()));
  }
}

async function createEndpoint(client: BenchClient, url: string): Promise<string> {
  const created = await client.call<{ id: string }>('POST', '/v1/webhook-endpoints', { url, events: ['webhook.test'], description: 'benchmark' });
  if (created.status !== 201) throw new Error(`creating a webhook endpoint answered ${created.status}: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

async function closedLoop(
  fire: Fire,
  receivers: readonly WebhookReceiver[],
  count: number,
  options: { concurrency: number; timeoutMs: number },
  cpuMs: () => number,
): Promise<PipelineRun> {
  const ids = new Set<string>();
  let errors = 0;
  const cpuBefore = cpuMs();
  const started = Date.now();
  await runBounded(count, options.concurrency, async (index) => {
    const id = await fire(index).catch(() => null);
    if (id === null) errors += 1;
    else ids.add(id);
  });
  const arrivals = await arrivalsOf(receivers, ids, started + options.timeoutMs);
  const cpu = cpuMs() - cpuBefore;
  const lastArrival = Math.max(started, ...[...arrivals.values()].map((a) => a.receivedAt));
  return {
    events: ids.size,
    deliveriesPerSecond: perSecond(arrivals.size, lastArrival - started),
    endToEndLatencyMs: summarize([...arrivals.values()].map((a) => a.receivedAt - a.occurredAt)),
    errors,
    missing: ids.size - arrivals.size,
    cpuMsPerEvent: cpu / Math.max(1, ids.size),
  };
}

/** Fires at `ratePerSecond` for `durationMs` without waiting for answers, then waits for the arrivals. */
async function openLoop(
  fire: Fire,
  receivers: readonly WebhookReceiver[],
  ratePerSecond: number,
  durationMs: number,
  timeoutMs: number,
): Promise<OpenLoopRun> {
  const ids = new Set<string>();
  const pending: Array<Promise<void>> = [];
  const started = Date.now();
  const total = Math.round((ratePerSecond * durationMs) / 1000);
  for (let index = 0; index < total; index++) {
    const due = started + (index * 1000) / ratePerSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    pending.push(fire(index).then((id) => void (id !== null && ids.add(id)), () => undefined));
  }
  await Promise.all(pending);
  const arrivals = receivers.length === 0 ? new Map<string, Arrival>() : await arrivalsOf(receivers, ids, Date.now() + timeoutMs);
  return {
    ratePerSecond,
    events: ids.size,
    endToEndLatencyMs: summarize([...arrivals.values()].map((a) => a.receivedAt - a.occurredAt)),
    missing: ids.size - arrivals.size,
  };
}

interface Arrival {
  readonly receivedAt: number;
  readonly occurredAt: number;
}

/** Waits (until `deadline`) for every id to reach one of the receivers; returns each one's first arrival. */
async function arrivalsOf(receivers: readonly WebhookReceiver[], ids: ReadonlySet<string>, deadline: number): Promise<Map<string, Arrival>> {
  const first = new Map<string, Arrival>();
  const scanned = receivers.map(() => 0);
  for (;;) {
    receivers.forEach((receiver, r) => {
      for (; scanned[r]! < receiver.received.length; scanned[r]!++) {
        const request = receiver.received[scanned[r]!]!;
        if (!ids.has(request.eventId) || first.has(request.eventId)) continue;
        const { occurred_at } = JSON.parse(request.body) as { occurred_at: string };
        first.set(request.eventId, { receivedAt: request.receivedAt, occurredAt: Date.parse(occurred_at) });
      }
    });
    if (first.size >= ids.size || Date.now() > deadline) return first;
    await sleep(20);
  }
}

const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const p = (l: LatencySummary) => `${n(l.p50, 1)} / ${n(l.p99, 1)} ms`;

export function formatWebhookPipeline(r: WebhookPipelineResult): Array<[string, string]> {
  const ratio = r.ours.deliveriesPerSecond / r.baseline.deliveriesPerSecond;
  const slowRatio = r.withSlowHost.endToEndLatencyMs.p99 / r.openLoop.endToEndLatencyMs.p99;
  return [
    ['events, hosts, in flight', `${r.ours.events}, ${r.hosts}, ${r.concurrency}`],
    ['ours: delivered/s, p50 / p99', `${n(r.ours.deliveriesPerSecond)}, ${p(r.ours.endToEndLatencyMs)}`],
    ['baseline: delivered/s, p50 / p99', `${n(r.baseline.deliveriesPerSecond)}, ${p(r.baseline.endToEndLatencyMs)}`],
    ['ours / baseline', n(ratio, 2)],
    ['ours: Postgres pool', formatPool(r.oursPool)],
    ['CPU per event: ours / baseline', `${n(r.ours.cpuMsPerEvent, 2)} / ${n(r.baseline.cpuMsPerEvent, 2)} ms`],
    ['errors / missing: ours, baseline', `${r.ours.errors} / ${r.ours.missing}, ${r.baseline.errors} / ${r.baseline.missing}`],
    [`open loop ${r.openLoop.ratePerSecond}/s: p50 / p99`, `${p(r.openLoop.endToEndLatencyMs)} (${r.openLoop.missing} missing)`],
    [`+ a host that never answers (${r.slowHostRatePerSecond}/s)`, `${p(r.withSlowHost.endToEndLatencyMs)} (${r.withSlowHost.missing} missing)`],
    ['p99 with / without the slow host', n(slowRatio, 2)],
  ];
}
