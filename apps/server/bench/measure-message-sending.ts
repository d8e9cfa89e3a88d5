/*
 * Section 3: sending. `instances` sandbox instances are created and connected; `count` text messages are
 * spread over them round-robin (`concurrency` requests in flight) and the clock runs until none is left
 * `queued` (each has become `sent`, or already `delivered`/`read`, or `failed`). Each instance's outbox
 * sends in acceptance order, one at a time, so the send rate is bounded by instances x per-send cost.
 */
import type { BenchClient } from './bench-client.js';
import { sleep } from './server-process.js';
import { perSecond, runBounded, summarize, type LatencySummary } from './stats.js';

export interface MessageSendingResult {
  readonly instances: number;
  readonly count: number;
  readonly concurrency: number;
  /** 202 answers per second of sending requests. */
  readonly acceptedPerSecond: number;
  readonly acceptLatencyMs: LatencySummary;
  /** Messages out of `queued`, over the time from the first request until none was left queued. */
  readonly sendsPerSecond: number;
  readonly totalMs: number;
  /** queued → sent, from the status trail of a sample of messages. */
  readonly queuedToSentMs: LatencySummary;
  readonly errors: number;
  readonly errorsByStatus: Record<string, number>;
  readonly failed: number;
  /** Server CPU time per message (accepting, sending, three receipts), and as a share of one core. */
  readonly serverCpuMsPerMessage: number;
  readonly serverCpuPercent: number;
}

interface Page<T> {
  readonly data: T[];
  readonly next_cursor: string | null;
}

const SAMPLE_SIZE = 200;

export async function measureMessageSending(
  client: BenchClient,
  options: { instances: number; count: number; concurrency: number; timeoutMs: number; serverCpuMs: () => number },
): Promise<MessageSendingResult> {
  const instanceIds = await connectSandboxInstances(client, options.instances, Date.now() + 60_000);
  const messageIds: string[] = [];
  const acceptLatencies: number[] = [];
  const errorsByStatus: Record<string, number> = {};
  let errors = 0;
  const cpuBefore = options.serverCpuMs();
  const started = Date.now();
  await runBounded(options.count, options.concurrency, async (index) => {
    const instanceId = instanceIds[index % instanceIds.length]!;
    const to = `4915550${String(index % 1000).padStart(4, '0')}`;
    try {
      const response = await client.call<{ message_id: string }>('POST', `/v1/instances/${instanceId}/messages`, {
        to,
        body: { type: 'text', text: `benchmark message ${index}` },
      });
      if (response.status === 202) {
        messageIds.push(response.body.message_id);
        acceptLatencies.push(response.latencyMs);
        return;
      }
      errorsByStatus[response.status] = (errorsByStatus[response.status] ?? 0) + 1;
    } catch {
      errorsByStatus.network = (errorsByStatus.network ?? 0) + 1;
    }
    errors += 1;
  });
  const acceptedMs = Date.now() - started;

  const deadline = started + options.timeoutMs;
  while (await anyIn(client, 'queued')) {
    if (Date.now() > deadline) throw new Error(`messages still queued after ${options.timeoutMs} ms`);
    await sleep(50);
  }
  const totalMs = Date.now() - started;
  const cpuMs = options.serverCpuMs() - cpuBefore;
  return {
    instances: instanceIds.length,
    count: options.count,
    concurrency: options.concurrency,
    acceptedPerSecond: perSecond(messageIds.length, acceptedMs),
    acceptLatencyMs: summarize(acceptLatencies),
    sendsPerSecond: perSecond(messageIds.length, totalMs),
    totalMs,
    queuedToSentMs: summarize(await queuedToSent(client, sample(messageIds, SAMPLE_SIZE))),
    errors,
    errorsByStatus,
    failed: await countIn(client, 'failed'),
    serverCpuMsPerMessage: cpuMs / Math.max(1, messageIds.length),
    serverCpuPercent: (100 * cpuMs) / totalMs,
  };
}

/** Creates sandbox instances, connects them, and waits (until `deadline`) for all to be connected. */
export async function connectSandboxInstances(client: BenchClient, count: number, deadline: number, namePrefix = 'bench'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await client.call<{ id: string }>('POST', '/v1/instances', { name: `${namePrefix}-${i}`, kind: 'sandbox' });
    if (created.status !== 201) throw new Error(`creating a sandbox instance answered ${created.status}: ${JSON.stringify(created.body)}`);
    const connected = await client.call('POST', `/v1/instances/${created.body.id}/connect`);
    if (connected.status >= 300) throw new Error(`connecting ${created.body.id} answered ${connected.status}: ${JSON.stringify(connected.body)}`);
    ids.push(created.body.id);
  }
  for (const id of ids) {
    for (;;) {
      const instance = await client.call<{ status: string }>('GET', `/v1/instances/${id}`);
      if (instance.body.status === 'connected') break;
      if (Date.now() > deadline) throw new Error(`sandbox instance ${id} is ${instance.body.status}, not connected`);
      await sleep(100);
    }
  }
  return ids;
}

/** Whether any message is in `status`: one cheap request, so polling adds little load to what is measured. */
export async function anyIn(client: BenchClient, status: string): Promise<boolean> {
  const response = await client.call<Page<unknown>>('GET', `/v1/messages?status=${status}&limit=1`);
  if (response.status !== 200) throw new Error(`listing ${status} messages answered ${response.status}`);
  return response.body.data.length > 0;
}

/** Messages in `status`, counted page by page. */
async function countIn(client: BenchClient, status: string): Promise<number> {
  let total = 0;
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const query: string = `/v1/messages?status=${status}&limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const response = await client.call<Page<unknown>>('GET', query);
    if (response.status !== 200) throw new Error(`listing ${status} messages answered ${response.status}`);
    total += response.body.data.length;
    cursor = response.body.next_cursor;
    if (cursor === null) break;
  }
  return total;
}

interface MessageDetail {
  readonly history: Array<{ status: string; at: string }>;
}

async function queuedToSent(client: BenchClient, ids: readonly string[]): Promise<number[]> {
  const latencies: number[] = [];
  await runBounded(ids.length, 8, async (index) => {
    const response = await client.call<MessageDetail>('GET', `/v1/messages/${ids[index]!}`);
    const at = (status: string) => response.body.history?.find((entry) => entry.status === status)?.at;
    const queued = at('queued');
    const sent = at('sent');
    if (queued !== undefined && sent !== undefined) latencies.push(Date.parse(sent) - Date.parse(queued));
  });
  return latencies;
}

function sample<T>(items: readonly T[], size: number): T[] {
  if (items.length <= size) return [...items];
  const step = items.length / size;
  return Array.from({ length: size }, (_, i) => items[Math.floor(i * step)]!);
}
