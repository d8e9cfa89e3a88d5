/*
 * Section 7: inbound messages, the traffic most webhooks carry. `instances` sandbox instances are connected
 * and one endpoint on its own loopback receiver takes `message.received`; `count` text messages are injected
 * (POST /v1/instances/:id/sandbox/inbound, `concurrency` at a time, round-robin over the instances and over
 * 1,000 senders) and the clock runs until every one has arrived. An injection answers once the message was
 * handled (recorded, its chat touched), so the injected/s is the rate at which the server takes messages in.
 * The injection is an HTTP request a real socket would not make: its cost is inside the CPU per message.
 */
import { startWebhookReceiver, type ReceivedWebhook } from '../test/support/webhook-receiver.js';
import type { BenchClient } from './bench-client.js';
import { connectSandboxInstances } from './measure-message-sending.js';
import { sleep } from './server-process.js';
import { perSecond, runBounded, summarize, type LatencySummary } from './stats.js';

export interface InboundMessagesResult {
  readonly instances: number;
  readonly count: number;
  readonly concurrency: number;
  /** Injections answered 201, per second of injecting. */
  readonly injectedPerSecond: number;
  readonly injectLatencyMs: LatencySummary;
  /** Distinct `message.received` events that arrived, over the time from the first injection to the last arrival. */
  readonly deliveriesPerSecond: number;
  readonly totalMs: number;
  /** occurred_at to arrival at the receiver. */
  readonly endToEndLatencyMs: LatencySummary;
  readonly errors: number;
  readonly missing: number;
  /** Server CPU time per message (the injection, recording, the chat, delivering), and as a share of one core. */
  readonly serverCpuMsPerMessage: number;
  readonly serverCpuPercent: number;
}

export async function measureInboundMessages(
  client: BenchClient,
  options: { instances: number; count: number; concurrency: number; timeoutMs: number; serverCpuMs: () => number },
): Promise<InboundMessagesResult> {
  const receiver = await startWebhookReceiver();
  try {
    const instanceIds = await connectSandboxInstances(client, options.instances, Date.now() + 60_000, 'bench-inbound');
    const created = await client.call('POST', '/v1/webhook-endpoints', { url: `${receiver.url}/inbound`, events: ['message.received'] });
    if (created.status !== 201) throw new Error(`creating the webhook endpoint answered ${created.status}: ${JSON.stringify(created.body)}`);
    const inject = async (first: number, count: number, latencies: number[]) => {
      let errors = 0;
      await runBounded(count, options.concurrency, async (i) => {
        const index = first + i;
        try {
          const response = await client.call('POST', `/v1/instances/${instanceIds[index % instanceIds.length]!}/sandbox/inbound`, {
            from: `4915560${String(index % 1000).padStart(4, '0')}`,
            body: { type: 'text', text: `inbound ${index}` },
          });
          if (response.status === 201) latencies.push(response.latencyMs);
          else errors += 1;
        } catch {
          errors += 1;
        }
      });
      return errors;
    };

    const warmup = Math.min(50, options.count);
    await inject(0, warmup, []);
    await arrivals(receiver.received, warmup, Date.now() + options.timeoutMs);
    const seenBefore = receiver.received.length;
    const distinctBefore = new Set(receiver.received.map((request) => request.eventId)).size;

    const latencies: number[] = [];
    const cpuBefore = options.serverCpuMs();
    const started = Date.now();
    const errors = await inject(warmup, options.count, latencies);
    const injectedMs = Date.now() - started;
    const arrived = await arrivals(receiver.received, distinctBefore + latencies.length, started + options.timeoutMs, seenBefore);
    const cpuMs = options.serverCpuMs() - cpuBefore;
    const elapsedMs = Date.now() - started;
    const lastArrival = arrived.length > 0 ? Math.max(...arrived.map((a) => a.receivedAt)) : Date.now();
    const totalMs = lastArrival - started;
    return {
      instances: instanceIds.length,
      count: options.count,
      concurrency: options.concurrency,
      injectedPerSecond: perSecond(latencies.length, injectedMs),
      injectLatencyMs: summarize(latencies),
      deliveriesPerSecond: perSecond(arrived.length, totalMs),
      totalMs,
      endToEndLatencyMs: summarize(arrived.map((a) => a.receivedAt - a.occurredAt)),
      errors,
      missing: latencies.length - arrived.length,
      serverCpuMsPerMessage: cpuMs / Math.max(1, latencies.length),
      serverCpuPercent: (100 * cpuMs) / elapsedMs,
    };
  } finally {
    await receiver.close();
  }
}

interface Arrival {
  readonly receivedAt: number;
  readonly occurredAt: number;
}

/** Waits (until `deadline`) for `total` distinct events on the receiver; returns the first arrivals from index `from` on. */
async function arrivals(received: readonly ReceivedWebhook[], total: number, deadline: number, from = 0): Promise<Arrival[]> {
  const distinct = () => new Set(received.map((request) => request.eventId)).size;
  while (distinct() < total && Date.now() < deadline) await sleep(20);
  const seen = new Set(received.slice(0, from).map((request) => request.eventId));
  const first: Arrival[] = [];
  for (const request of received.slice(from)) {
    if (seen.has(request.eventId)) continue;
    seen.add(request.eventId);
    const { occurred_at } = JSON.parse(request.body) as { occurred_at: string };
    first.push({ receivedAt: request.receivedAt, occurredAt: Date.parse(occurred_at) });
  }
  return first;
}

const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const ms99 = (l: LatencySummary) => `${n(l.p50, 1)} / ${n(l.p99, 1)} ms`;

export function formatInboundMessages(r: InboundMessagesResult): Array<[string, string]> {
  return [
    ['sandbox instances, text messages, concurrency', `${r.instances}, ${r.count}, ${r.concurrency}`],
    ['injected/s (201, handled)', n(r.injectedPerSecond)],
    ['injection latency p50 / p99', ms99(r.injectLatencyMs)],
    ['message.received delivered end to end/s', n(r.deliveriesPerSecond)],
    ['occurred_at → arrival p50 / p99', ms99(r.endToEndLatencyMs)],
    ['all arrived after', `${n(r.totalMs / 1000, 2)} s`],
    ['errors / missing', `${r.errors} / ${r.missing}`],
    ['server CPU per message (core busy)', `${n(r.serverCpuMsPerMessage, 2)} ms (${n(r.serverCpuPercent)} % of a core)`],
  ];
}
