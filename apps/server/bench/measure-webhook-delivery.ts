/*
 * Section 2: webhook delivery end to end. One endpoint on a loopback receiver; `count` webhook.test events
 * are requested (POST /v1/webhook-endpoints/:id/test, `concurrency` at a time) and the clock runs until
 * every one of them has arrived. Each event's latency is its arrival at the receiver minus its
 * `occurred_at` (the moment the server recorded it), so it covers the Postgres write, the queue, the
 * worker's claim, signing and the HTTP request.
 */
import type { WebhookReceiver } from '../test/support/webhook-receiver.js';
import type { BenchClient } from './bench-client.js';
import { sleep } from './server-process.js';
import { perSecond, runBounded, summarize, type LatencySummary } from './stats.js';

export interface WebhookDeliveryResult {
  readonly count: number;
  readonly concurrency: number;
  /** Test events the API accepted (202), per second of firing. */
  readonly acceptedPerSecond: number;
  readonly acceptLatencyMs: LatencySummary;
  /** Distinct events that arrived, over the time from the first request to the last arrival. */
  readonly deliveriesPerSecond: number;
  readonly totalMs: number;
  /** occurred_at to arrival at the receiver. */
  readonly endToEndLatencyMs: LatencySummary;
  readonly errors: number;
  /** Arrivals of an event that had already arrived (at-least-once delivery allows them). */
  readonly duplicates: number;
  readonly missing: number;
  /** Server CPU time per event (accepting the request, recording, queueing, delivering), and as a share of one core. */
  readonly serverCpuMsPerEvent: number;
  readonly serverCpuPercent: number;
}

interface TestAccepted {
  readonly event_id: string;
}

export async function measureWebhookDelivery(
  client: BenchClient,
  receiver: WebhookReceiver,
  options: { count: number; concurrency: number; timeoutMs: number; serverCpuMs: () => number },
): Promise<WebhookDeliveryResult> {
  const created = await client.call<{ id: string }>('POST', '/v1/webhook-endpoints', {
    url: `${receiver.url}/bench`,
    events: ['webhook.test'],
    description: 'benchmark receiver',
  });
  if (created.status !== 201) throw new Error(`creating the webhook endpoint answered ${created.status}: ${JSON.stringify(created.body)}`);
  const fire = async (ids: Set<string>, count: number, acceptLatencies: number[]) => {
    let errors = 0;
    await runBounded(count, options.concurrency, async () => {
      try {
        const response = await client.call<TestAccepted>('POST', `/v1/webhook-endpoints/${created.body.id}/test`);
        if (response.status === 202) {
          ids.add(response.body.event_id);
          acceptLatencies.push(response.latencyMs);
        } else errors += 1;
      } catch {
        errors += 1;
      }
    });
    return errors;
  };

  const warmup = new Set<string>();
  await fire(warmup, Math.min(50, options.count), []);
  await arrivalOf(receiver, warmup, Date.now() + options.timeoutMs);

  const fired = new Set<string>();
  const acceptLatencies: number[] = [];
  const cpuBefore = options.serverCpuMs();
  const started = Date.now();
  const errors = await fire(fired, options.count, acceptLatencies);
  const acceptedMs = Date.now() - started;
  const arrivals = await arrivalOf(receiver, fired, started + options.timeoutMs);
  const cpuMs = options.serverCpuMs() - cpuBefore;
  const elapsedMs = Date.now() - started;
  const arrivalTimes = [...arrivals.first.values()].map((a) => a.receivedAt);
  const lastArrival = arrivalTimes.length > 0 ? Math.max(...arrivalTimes) : Date.now();
  const totalMs = lastArrival - started;
  return {
    count: options.count,
    concurrency: options.concurrency,
    acceptedPerSecond: perSecond(fired.size, acceptedMs),
    acceptLatencyMs: summarize(acceptLatencies),
    deliveriesPerSecond: perSecond(arrivals.first.size, totalMs),
    totalMs,
    endToEndLatencyMs: summarize([...arrivals.first.values()].map((a) => a.receivedAt - a.occurredAt)),
    errors,
    duplicates: arrivals.duplicates,
    missing: fired.size - arrivals.first.size,
    serverCpuMsPerEvent: cpuMs / Math.max(1, fired.size),
    serverCpuPercent: (100 * cpuMs) / elapsedMs,
  };
}

interface Arrival {
  readonly receivedAt: number;
  readonly occurredAt: number;
}

/** Waits (until `deadline`) for every id in `ids` to reach the receiver; returns each one's first arrival. */
async function arrivalOf(receiver: WebhookReceiver, ids: ReadonlySet<string>, deadline: number) {
  const first = new Map<string, Arrival>();
  let duplicates = 0;
  let scanned = 0;
  while (first.size < ids.size && Date.now() < deadline) {
    await sleep(20);
    for (; scanned < receiver.received.length; scanned++) {
      const request = receiver.received[scanned]!;
      if (!ids.has(request.eventId)) continue;
      if (first.has(request.eventId)) {
        duplicates += 1;
        continue;
      }
      const { occurred_at } = JSON.parse(request.body) as { occurred_at: string };
      first.set(request.eventId, { receivedAt: request.receivedAt, occurredAt: Date.parse(occurred_at) });
    }
  }
  return { first, duplicates };
}
