/*
 * The soak scenario (`pnpm bench -- --scenario soak [--minutes N]`): a steady mix of sends and webhooks at
 * half the rate the server sustains, for N minutes (10 by default, 1 with --quick), watching whether what
 * the server holds levels off and whether latency drifts.
 *
 * 1. Five sandbox instances are connected and one webhook endpoint subscribes to `message.sent`,
 *    `message.delivered` and `message.read` (three deliveries per message) on a loopback receiver.
 * 2. Calibration: a closed loop of 16 requests in flight sends for a short while, and the clock runs until
 *    every one of those messages has been reported `read` at the receiver; that end-to-end rate is the
 *    sustained maximum. The soak runs at half of it.
 * 3. The soak: an open loop posts one message every 1/rate seconds, round-robin over the instances,
 *    whatever the server's answers take. Every window (30 s; 10 s with --quick) records the server's RSS,
 *    the database's size, the memory of the run's Redis keys, the messages still queued, and the latency
 *    from each post to its `message.sent` webhook and to its `message.read` webhook.
 *
 * Rows are never removed during a soak (messages are kept MESSAGE_RETENTION_DAYS, deliveries
 * WEBHOOK_SUCCESS_RETENTION_DAYS, both at least a day), so Postgres grows with the work: the report gives
 * its growth per message in each window, which levels off when nothing but the rows themselves grows.
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { BenchClient } from '../bench-client.js';
import { connectSandboxInstances } from '../measure-message-sending.js';
import { queryDatabase } from '../../test/support/query-database.js';
import type { WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { readMemory, sleep } from '../server-process.js';
import { runBounded, summarize, type LatencySummary } from '../stats.js';

const INSTANCES = 5;
const CALIBRATION_IN_FLIGHT = 16;
/** Posts that may be unanswered at once in the open loop; more are counted as dropped, not queued up. */
const MAX_OUTSTANDING = 256;

export interface SoakWindow {
  /** Seconds since the soak began, at the end of the window. */
  readonly atS: number;
  readonly posted: number;
  readonly accepted: number;
  readonly errors: number;
  readonly dropped: number;
  readonly rssMiB: number;
  readonly databaseMiB: number;
  readonly redisKiB: number;
  readonly redisKeys: number;
  /** The three largest of the run's Redis keys (without the prefix), in bytes. */
  readonly redisLargest: ReadonlyArray<{ readonly key: string; readonly bytes: number }>;
  readonly queued: number;
  /** Post → `message.sent` webhook, and post → `message.read` webhook, of the messages posted in the window. */
  readonly toSentMs: LatencySummary;
  readonly toReadMs: LatencySummary;
  /** Database growth in the window per message accepted in it, in KiB. */
  readonly databaseKiBPerMessage: number;
}

export interface SoakScenarioResult {
  readonly minutes: number;
  readonly calibration: { readonly messages: number; readonly ms: number; readonly messagesPerSecond: number };
  readonly ratePerSecond: number;
  readonly windows: readonly SoakWindow[];
  /** Every message posted during the soak reached `read` at the receiver (checked after the last window). */
  readonly missingAtEnd: number;
  readonly summary: SoakSummary;
}

/** Each measure compared between the second and the last quarter of the soak (the first is warm-up). */
export interface SoakSummary {
  readonly rssMiB: { readonly secondQuarter: number; readonly lastQuarter: number };
  readonly redisKiB: { readonly secondQuarter: number; readonly lastQuarter: number };
  readonly databaseKiBPerMessage: { readonly secondQuarter: number; readonly lastQuarter: number };
  readonly toSentP99Ms: { readonly secondQuarter: number; readonly lastQuarter: number };
  readonly toReadP99Ms: { readonly secondQuarter: number; readonly lastQuarter: number };
}

interface Posted {
  readonly at: number;
  readonly window: number;
}

export async function runSoakScenario(
  client: BenchClient,
  receiver: WebhookReceiver,
  options: { readonly databaseUrl: string; readonly redisUrl: string; readonly redisPrefix: string; readonly serverPid: number; readonly minutes: number; readonly quick: boolean },
): Promise<SoakScenarioResult> {
  const instanceIds = await connectSandboxInstances(client, INSTANCES, Date.now() + 60_000, 'soak');
  const endpoint = await client.call('POST', '/v1/webhook-endpoints', { url: `${receiver.url}/soak`, events: ['message.sent', 'message.delivered', 'message.read'] });
  if (endpoint.status !== 201) throw new Error(`creating the webhook endpoint answered ${endpoint.status}: ${JSON.stringify(endpoint.body)}`);

  const sentAt = new Map<string, number>();
  const readAt = new Map<string, number>();
  let seenRequests = 0;
  const collect = () => {
    const received = receiver.received;
    for (; seenRequests < received.length; seenRequests++) {
      const request = received[seenRequests]!;
      const envelope = JSON.parse(request.body) as { event: string; data: { message_id?: string } };
      const id = envelope.data.message_id;
      if (id === undefined) continue;
      const into = envelope.event === 'message.sent' ? sentAt : envelope.event === 'message.read' ? readAt : null;
      if (into !== null && !into.has(id)) into.set(id, request.receivedAt);
    }
  };
  const post = (index: number) =>
    client.call<{ message_id: string }>('POST', `/v1/instances/${instanceIds[index % instanceIds.length]}/messages`, {
      to: `4915551${String(index % 1000).padStart(4, '0')}`,
      body: { type: 'text', text: `soak message ${index}` },
    });

  // Calibration: the end-to-end rate at which messages go from the request to `read` at the receiver.
  const calibrationCount = options.quick ? 200 : 1_000;
  const calibrationIds: string[] = [];
  const calibrationStart = Date.now();
  await runBounded(calibrationCount, CALIBRATION_IN_FLIGHT, async (index) => {
    const response = await post(index).catch(() => null);
    if (response?.status === 202) calibrationIds.push(response.body.message_id);
  });
  await waitUntil(() => {
    collect();
    return calibrationIds.every((id) => readAt.has(id));
  }, 300_000, 'every calibration message read at the receiver');
  const calibrationMs = Date.now() - calibrationStart;
  const sustained = (calibrationIds.length * 1000) / calibrationMs;
  const ratePerSecond = Math.max(1, sustained / 2);

  // The soak.
  const windowMs = options.quick ? 10_000 : 30_000;
  const durationMs = options.minutes * 60_000;
  const windowCount = Math.max(1, Math.round(durationMs / windowMs));
  const posted = new Map<string, Posted>();
  const counters = Array.from({ length: windowCount }, () => ({ posted: 0, accepted: 0, errors: 0, dropped: 0 }));
  const samples: Array<Omit<SoakWindow, 'toSentMs' | 'toReadMs' | 'databaseKiBPerMessage'>> = [];
  let outstanding = 0;
  let index = calibrationCount;
  const soakStart = performance.now();
  const databaseAtStart = await databaseBytes(options.databaseUrl);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    for (let window = 0; window < windowCount; window++) {
      const windowEnd = soakStart + (window + 1) * windowMs;
      while (performance.now() < windowEnd) {
        const due = soakStart + (index - calibrationCount) * (1000 / ratePerSecond);
        const wait = due - performance.now();
        if (wait > 0) await sleep(Math.min(wait, windowEnd - performance.now()));
        if (performance.now() >= windowEnd) break;
        const counter = counters[window]!;
        counter.posted += 1;
        const current = index++;
        if (outstanding >= MAX_OUTSTANDING) {
          counter.dropped += 1;
          continue;
        }
        outstanding += 1;
        const at = Date.now();
        void post(current)
          .then((response) => {
            if (response.status === 202) {
              counter.accepted += 1;
              posted.set(response.body.message_id, { at, window });
            } else counter.errors += 1;
          })
          .catch(() => {
            counter.errors += 1;
          })
          .finally(() => {
            outstanding -= 1;
          });
      }
      collect();
      const redisUse = await redisMemory(redis, options.redisPrefix);
      samples.push({
        atS: Math.round(((window + 1) * windowMs) / 1000),
        ...counters[window]!,
        rssMiB: readMemory(options.serverPid).rssMiB,
        databaseMiB: (await databaseBytes(options.databaseUrl)) / 2 ** 20,
        redisKiB: redisUse.bytes / 1024,
        redisKeys: redisUse.keys,
        redisLargest: redisUse.largest,
        queued: await queuedCount(options.databaseUrl),
      });
    }
  } finally {
    redis.disconnect();
  }

  // Let the last messages arrive before reading their latencies.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    collect();
    if ([...posted.keys()].every((id) => readAt.has(id))) break;
    await sleep(200);
  }
  collect();
  const missingAtEnd = [...posted.keys()].filter((id) => !readAt.has(id)).length;

  let previousBytes = databaseAtStart;
  const windows: SoakWindow[] = samples.map((sample, window) => {
    const mine = [...posted].filter(([, p]) => p.window === window);
    const latencies = (arrivals: Map<string, number>) => summarize(mine.flatMap(([id, p]) => (arrivals.has(id) ? [arrivals.get(id)! - p.at] : [])));
    const bytes = sample.databaseMiB * 2 ** 20;
    const growth = bytes - previousBytes;
    previousBytes = bytes;
    return {
      ...sample,
      toSentMs: latencies(sentAt),
      toReadMs: latencies(readAt),
      databaseKiBPerMessage: sample.accepted === 0 ? NaN : growth / 1024 / sample.accepted,
    };
  });
  return {
    minutes: options.minutes,
    calibration: { messages: calibrationIds.length, ms: calibrationMs, messagesPerSecond: sustained },
    ratePerSecond,
    windows,
    missingAtEnd,
    summary: summarizeSoak(windows),
  };
}

function summarizeSoak(windows: readonly SoakWindow[]): SoakSummary {
  const quarter = Math.max(1, Math.floor(windows.length / 4));
  const second = windows.slice(quarter, Math.max(quarter + 1, 2 * quarter));
  const last = windows.slice(-quarter);
  const mean = (rows: readonly SoakWindow[], pick: (w: SoakWindow) => number) => {
    const values = rows.map(pick).filter((value) => Number.isFinite(value));
    return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
  };
  const compare = (pick: (w: SoakWindow) => number) => ({ secondQuarter: mean(second, pick), lastQuarter: mean(last, pick) });
  return {
    rssMiB: compare((w) => w.rssMiB),
    redisKiB: compare((w) => w.redisKiB),
    databaseKiBPerMessage: compare((w) => w.databaseKiBPerMessage),
    toSentP99Ms: compare((w) => w.toSentMs.p99),
    toReadP99Ms: compare((w) => w.toReadMs.p99),
  };
}

async function databaseBytes(databaseUrl: string): Promise<number> {
  const rows = await queryDatabase<{ bytes: string }>(databaseUrl, 'SELECT pg_database_size(current_database())::text AS bytes');
  return Number(rows[0]!.bytes);
}

async function queuedCount(databaseUrl: string): Promise<number> {
  const rows = await queryDatabase<{ n: number }>(databaseUrl, `SELECT count(*)::int AS n FROM messages WHERE status = 'queued'`);
  return rows[0]!.n;
}

/** The memory of the run's own keys (the Redis may be shared): SCAN by prefix, MEMORY USAGE of each. */
async function redisMemory(redis: Redis, prefix: string): Promise<{ bytes: number; keys: number; largest: Array<{ key: string; bytes: number }> }> {
  let cursor = '0';
  let bytes = 0;
  let keys = 0;
  const sizes: Array<{ key: string; bytes: number }> = [];
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
    cursor = next;
    if (found.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const key of found) pipeline.memory('USAGE', key);
    for (const [i, [error, usage]] of ((await pipeline.exec()) ?? []).entries()) {
      if (error !== null || typeof usage !== 'number') continue;
      bytes += usage;
      sizes.push({ key: found[i]!.slice(prefix.length + 1), bytes: usage });
    }
    keys += found.length;
  } while (cursor !== '0');
  return { bytes, keys, largest: sizes.sort((a, b) => b.bytes - a.bytes).slice(0, 3) };
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export function formatSoakReport(result: SoakScenarioResult, header: readonly string[]): string {
  const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
  const c = result.calibration;
  const s = result.summary;
  const pair = (p: { secondQuarter: number; lastQuarter: number }, digits = 1) => `${f(p.secondQuarter, digits)} → ${f(p.lastQuarter, digits)}`;
  return [
    ...header,
    `calibration: ${c.messages} messages read at the receiver in ${f(c.ms / 1000)} s = ${f(c.messagesPerSecond)} messages/s end to end (3 webhooks each)`,
    `soak: ${f(result.ratePerSecond)} messages/s for ${result.minutes} min (half the calibrated rate)`,
    '',
    'at (s) | posted | accepted | errors | dropped | queued | RSS MiB | Postgres MiB | KiB/message | Redis KiB (keys) | post→sent p50/p99 ms | post→read p50/p99 ms',
    ...result.windows.map((w) =>
      [
        w.atS,
        w.posted,
        w.accepted,
        w.errors,
        w.dropped,
        w.queued,
        f(w.rssMiB),
        f(w.databaseMiB),
        f(w.databaseKiBPerMessage, 2),
        `${f(w.redisKiB)} (${w.redisKeys})`,
        `${f(w.toSentMs.p50, 0)} / ${f(w.toSentMs.p99, 0)}`,
        `${f(w.toReadMs.p50, 0)} / ${f(w.toReadMs.p99, 0)}`,
      ].join(' | '),
    ),
    '',
    'second quarter → last quarter (window means):',
    `  RSS ${pair(s.rssMiB)} MiB; Redis ${pair(s.redisKiB)} KiB; Postgres growth ${pair(s.databaseKiBPerMessage, 2)} KiB per message`,
    `  post→sent p99 ${pair(s.toSentP99Ms, 0)} ms; post→read p99 ${pair(s.toReadP99Ms, 0)} ms`,
    `largest Redis keys at the end: ${(result.windows.at(-1)?.redisLargest ?? []).map((k) => `${k.key} ${f(k.bytes / 1024)} KiB`).join(', ')}`,
    `messages posted in the soak and never read at the receiver: ${result.missingAtEnd}`,
  ].join('\n');
}
