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
 *    A single 10 s phase gives about a thousand events, whose p99 one stall of the machine decides, and a
 *    phase run later than another meets a different machine (autovacuum, checkpoints, the load of the
 *    sections before). So the phases alternate, without / with / ... / without, so those without bracket
 *    those with, and each condition's p99 is taken over its phases pooled.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { startWebhookReceiver, type WebhookReceiver } from '../test/support/webhook-receiver.js';
import type { BenchClient } from './bench-client.js';
import { formatPool, gauge, samplePool, type PoolSample } from './pool-sampler.js';
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

/** One condition of the open loop, pooled over its phases. */
export interface OpenLoopRun {
  readonly ratePerSecond: number;
  readonly phases: number;
  readonly events: number;
  readonly endToEndLatencyMs: LatencySummary;
  /** Each phase's own p99, in the order the phases ran. */
  readonly phaseP99Ms: readonly number[];
  readonly missing: number;
  /**
   * The slowest 1 % of the pooled events: how many 250 ms windows of their `occurred_at` they fall in (few
   * windows mean stalls that held up every event alike, many a cost per event), and where their time went, from
   * their delivery's attempt row: the median from `occurred_at` to the attempt's start (the record, the wake,
   * the slot, the claim) and from there to the arrival (signing and the request).
   */
  readonly slowest: { readonly events: number; readonly windows: number; readonly beforeAttemptMs: number; readonly inAttemptMs: number };
  /** The longest event-loop delay of the server and of the bench process (whose receivers stamp arrivals), and the server's GC time, over the phases. */
  readonly pauses: Pauses;
}

export interface Pauses {
  readonly serverLoopDelayMaxMs: number;
  readonly serverGcMs: number;
  readonly benchLoopDelayMaxMs: number;
}

type MeasuredPhase = OpenLoopPhase & { readonly pauses: Pauses };

interface OpenLoopPhase {
  readonly ratePerSecond: number;
  readonly events: number;
  readonly missing: number;
  readonly arrivals: readonly Arrival[];
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
  /** The most requests the slow host had open at once: its whole share of slots when the scenario holds. */
  readonly slowHostMostOpen: number;
}

type Fire = (index: number) => Promise<string | null>;

const HOSTS = 4;

export async function measureWebhookPipeline(
  client: BenchClient,
  baseline: { client: BenchClient; cpuMs: () => number },
  options: { count: number; concurrency: number; openLoopMs: number; slowHostPairs: number; timeoutMs: number; databaseUrl: string; serverCpuMs: () => number; metricsClient: BenchClient },
): Promise<WebhookPipelineResult> {
  const receivers = await Promise.all(Array.from({ length: HOSTS }, () => startWebhookReceiver()));
  const slow = await startWebhookReceiver({ reply: () => 'hang' });
  try {
    const endpointIds = await Promise.all(receivers.map((receiver, i) => createEndpoint(client, `${receiver.url}/pipeline-${i}`)));
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
    const slowRate = Math.max(1, Math.round(rate / 10));
    const fireSlow = (endpointId: string): Fire => async () => {
      const response = await client.call<{ event_id: string }>('POST', `/v1/webhook-endpoints/${endpointId}/test`);
      return response.status === 202 ? response.body.event_id : null;
    };
    const phase = (run: () => Promise<OpenLoopPhase>) => withPauses(options.metricsClient, run);
    const without: MeasuredPhase[] = [];
    const withSlow: MeasuredPhase[] = [];
    for (let pair = 0; pair < options.slowHostPairs; pair++) {
      without.push(await phase(() => openLoop(ours, receivers, rate, options.openLoopMs, options.timeoutMs)));
      // The slow host is fed 2 s before the measured phase, so its slots are already held when it starts.
      const slowEndpointId = await createEndpoint(client, `${slow.url}/slow`);
      const slowFiring = openLoop(fireSlow(slowEndpointId), [], slowRate, options.openLoopMs + 2_000, 0);
      await sleep(2_000);
      withSlow.push(await phase(() => openLoop(ours, receivers, rate, options.openLoopMs, options.timeoutMs)));
      await slowFiring;
      // Deleted, its waiting deliveries end without a request once the held ones time out; the next phase
      // without it starts when none is left open, so it measures the four hosts alone.
      await client.call('DELETE', `/v1/webhook-endpoints/${slowEndpointId}`);
      await waitUntil(() => slow.openRequests === 0, Date.now() + options.timeoutMs);
      await sleep(2_000);
    }
    without.push(await phase(() => openLoop(ours, receivers, rate, options.openLoopMs, options.timeoutMs)));
    return {
      hosts: HOSTS,
      concurrency: options.concurrency,
      ours: oursRun,
      oursPool,
      baseline: baselineRun,
      openLoop: await pooled(without, options.databaseUrl),
      withSlowHost: await pooled(withSlow, options.databaseUrl),
      slowHostRatePerSecond: slowRate,
      slowHostMostOpen: slow.maxOpenRequests,
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
): Promise<OpenLoopPhase> {
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
  return { ratePerSecond, events: ids.size, missing: ids.size - arrivals.size, arrivals: [...arrivals.values()] };
}

const STALL_WINDOW_MS = 250;

async function pooled(phases: readonly MeasuredPhase[], databaseUrl: string): Promise<OpenLoopRun> {
  const latency = (a: Arrival) => a.receivedAt - a.occurredAt;
  const all = phases.flatMap((phase) => phase.arrivals);
  const slowest = [...all].sort((a, b) => latency(b) - latency(a)).slice(0, Math.ceil(all.length / 100));
  const started = await attemptStarts(databaseUrl, slowest.map((a) => a.eventId));
  const median = (values: number[]) => summarize(values).p50;
  const traced = slowest.filter((a) => started.has(a.eventId));
  return {
    ratePerSecond: phases[0]?.ratePerSecond ?? 0,
    phases: phases.length,
    events: phases.reduce((sum, phase) => sum + phase.events, 0),
    endToEndLatencyMs: summarize(all.map(latency)),
    phaseP99Ms: phases.map((phase) => summarize(phase.arrivals.map(latency)).p99),
    missing: phases.reduce((sum, phase) => sum + phase.missing, 0),
    slowest: {
      events: slowest.length,
      windows: new Set(slowest.map((a) => Math.floor(a.occurredAt / STALL_WINDOW_MS))).size,
      beforeAttemptMs: median(traced.map((a) => started.get(a.eventId)! - a.occurredAt)),
      inAttemptMs: median(traced.map((a) => a.receivedAt - started.get(a.eventId)!)),
    },
    pauses: {
      serverLoopDelayMaxMs: Math.max(...phases.map((phase) => phase.pauses.serverLoopDelayMaxMs)),
      serverGcMs: phases.reduce((sum, phase) => sum + phase.pauses.serverGcMs, 0),
      benchLoopDelayMaxMs: Math.max(...phases.map((phase) => phase.pauses.benchLoopDelayMaxMs)),
    },
  };
}

/**
 * Runs a phase between two scrapes of the server's `/metrics`: prom-client resets its event-loop delay
 * histogram at each scrape, so the second one's `nodejs_eventloop_lag_max_seconds` is the phase's longest
 * delay; its GC histogram's sums give the phase's GC time. The bench process measures its own loop alike.
 */
async function withPauses(metricsClient: BenchClient, run: () => Promise<OpenLoopPhase>): Promise<MeasuredPhase> {
  const scrape = async () => {
    const response = await metricsClient.call<string>('GET', '/metrics');
    const text = typeof response.body === 'string' ? response.body : '';
    const gcSeconds = [...text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    return { lagMaxSeconds: gauge(text, 'nodejs_eventloop_lag_max_seconds'), gcSeconds };
  };
  const before = await scrape();
  const benchLoop = monitorEventLoopDelay({ resolution: 10 });
  benchLoop.enable();
  const result = await run();
  benchLoop.disable();
  const after = await scrape();
  return {
    ...result,
    pauses: {
      serverLoopDelayMaxMs: after.lagMaxSeconds * 1000,
      serverGcMs: (after.gcSeconds - before.gcSeconds) * 1000,
      benchLoopDelayMaxMs: benchLoop.max / 1e6,
    },
  };
}

/** When each event's first attempt started (ms), read from the server's database. */
async function attemptStarts(databaseUrl: string, eventIds: readonly string[]): Promise<Map<string, number>> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ event_id: string; started_at: Date }>(
      `SELECT d.event_id, min(a.started_at) AS started_at FROM webhook_deliveries d
         JOIN webhook_delivery_attempts a ON a.delivery_id = d.id
        WHERE d.event_id = ANY($1) GROUP BY d.event_id`,
      [eventIds],
    );
    return new Map(rows.map((row) => [row.event_id, row.started_at.getTime()]));
  } finally {
    await db.end();
  }
}

async function waitUntil(condition: () => boolean, deadline: number): Promise<void> {
  while (!condition() && Date.now() < deadline) await sleep(50);
}

interface Arrival {
  readonly eventId: string;
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
        first.set(request.eventId, { eventId: request.eventId, receivedAt: request.receivedAt, occurredAt: Date.parse(occurred_at) });
      }
    });
    if (first.size >= ids.size || Date.now() > deadline) return first;
    await sleep(20);
  }
}

const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const p = (l: LatencySummary) => `${n(l.p50, 1)} / ${n(l.p99, 1)} ms`;

const openLoopLine = (run: OpenLoopRun) =>
  `${p(run.endToEndLatencyMs)} over ${run.phases} phase${run.phases === 1 ? '' : 's'} (p99 ${run.phaseP99Ms.map((v) => n(v)).join(', ')}); ` +
  `slowest ${run.slowest.events} in ${run.slowest.windows} windows of ${STALL_WINDOW_MS} ms, ` +
  `${n(run.slowest.beforeAttemptMs)} ms before the attempt and ${n(run.slowest.inAttemptMs)} in it; longest loop delay ` +
  `server ${n(run.pauses.serverLoopDelayMaxMs)} ms, bench ${n(run.pauses.benchLoopDelayMaxMs)} ms; server GC ${n(run.pauses.serverGcMs)} ms; ${run.missing} missing`;

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
    [`open loop ${r.openLoop.ratePerSecond}/s: p50 / p99`, openLoopLine(r.openLoop)],
    [`+ a host that never answers (${r.slowHostRatePerSecond}/s)`, `${openLoopLine(r.withSlowHost)}, held ${r.slowHostMostOpen} open`],
    ['p99 with / without the slow host', n(slowRatio, 2)],
  ];
}
