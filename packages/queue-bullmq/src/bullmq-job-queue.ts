/*
 * The job-queue port on BullMQ. One live job per domain id comes from BullMQ's deduplication with
 * `keepLastIfActive`, which is atomic inside BullMQ's scripts:
 *   - the domain id is the deduplication id, held from the job's creation until it completes or finally
 *     fails (through delays, deferrals and retries), so `isHeld` reads that key;
 *   - adding an id whose job is waiting or delayed is a no-op; adding one whose job is ACTIVE stores the
 *     request, and BullMQ creates it as a new job when the active one finishes (the re-wake);
 *   - finished jobs are removed (removeOnComplete/removeOnFail), which frees the id for the next enqueue.
 * BullMQ would keep a delayed job's time (or, with `reschedule`, let the latest request win, pushing it
 * back too); we want "no later than requested", so after a deduplicated add we bring a delayed job
 * forward when it is due later than asked. That step is not atomic with the add; if the job starts in
 * between, it has started after the request, which is what the request wanted.
 *
 * Redis outages: `enqueue` and `isHeld` are called on request paths and by sweepers, so they never wait for
 * Redis longer than `deadlineMs`. The producer connection has no offline queue (a command fails at once
 * while the connection is down) and every call races a timer; either way the caller gets a
 * RedisUnavailableError and Postgres, which holds the work, lets a sweeper wake it after the outage.
 * Connection errors are reported once per outage, not once per reconnect attempt.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { DEFAULT_JOB_RETRY_POLICY, type JobQueue, type JobRequest, type JobRetryPolicy, type JobWorker } from '@whatisup/core';
import { startBullmqJobWorker } from './bullmq-job-worker.js';
import { closeRedisConnection, createRedisConnection } from './redis-connection.js';
import { watchRedisOutages } from './redis-outage-reporter.js';
import { withDeadline } from './with-deadline.js';
import type { WakeJobData } from './wake-job-data.js';

export interface BullmqJobQueueOptions {
  readonly redisUrl: string;
  /** The queue's name, e.g. `webhook-deliveries` or `outbox` (no `:`). */
  readonly name: string;
  /** Key prefix in Redis; default `whatisup`. Tests pass `uniqueRedisPrefix()`. */
  readonly prefix?: string;
  /** Retries of handlers that throw. Producers and workers of one queue must agree on it. */
  readonly retry?: JobRetryPolicy;
  /** How long closing waits for running handlers (ms); default 10 s. */
  readonly closeTimeoutMs?: number;
  /**
   * Redis or BullMQ trouble outside any handler: the first connection failure of an outage (one call per
   * connection, not per reconnect attempt) and any other error. Log it. Default: ignored.
   */
  readonly onInfrastructureError?: (error: Error) => void;
  /** A connection that reported an outage is ready again. Default: ignored. */
  readonly onRecovered?: () => void;
  /**
   * Longest wait for Redis per `enqueue` or `isHeld` (ms) before it rejects with RedisUnavailableError;
   * default 1,000. Keep it short: API requests await the wake-up after their commit.
   */
  readonly deadlineMs?: number;
  /**
   * How fast a job whose worker died (crash, kill -9, close timeout) runs again: its lock lapses after
   * `lockMs` and a live worker checks for lapsed locks every `checkIntervalMs`. BullMQ's defaults (30 s)
   * when absent.
   */
  readonly stalled?: { readonly lockMs: number; readonly checkIntervalMs: number };
}

/** BullMQ packs a delayed job's due time (ms) into its score's upper bits: score = dueAt * 0x1000 + n. */
const DELAYED_SCORE_FACTOR = 0x1000;

/** Jobs in the queue by state, for metrics. */
export interface JobCounts {
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
}

export interface BullmqJobQueue extends JobQueue {
  /** The queue's jobs by state (BullMQ's getJobCounts); rejects after the enqueue deadline when Redis is slow. */
  jobCounts(): Promise<JobCounts>;
}

export function createBullmqJobQueue(options: BullmqJobQueueOptions): BullmqJobQueue {
  const prefix = options.prefix ?? 'whatisup';
  const retry = options.retry ?? DEFAULT_JOB_RETRY_POLICY;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  const deadlineMs = options.deadlineMs ?? 1_000;
  const onInfrastructureError = options.onInfrastructureError ?? (() => undefined);
  const connectionName = `wiu-queue:${prefix}:${options.name}`;
  const connection = createRedisConnection(options.redisUrl, connectionName, 'producer');
  const outages = watchRedisOutages(connection, { onError: onInfrastructureError, onRecovered: options.onRecovered });
  const queue = new Queue<WakeJobData>(options.name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: retry.attempts,
      backoff: { type: 'bounded' },
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
  queue.on('error', (error) => outages.error(error));
  const workers = new Set<JobWorker>();

  const bringForward = async (jobId: string, delayMs: number): Promise<void> => {
    // Due now: promote straight away, one round trip. It refuses a job that is not delayed (waiting, or it has
    // started), which satisfies the wake as it is.
    if (delayMs === 0) return queue.backend.promote(jobId).catch(() => undefined);
    const score = await connection.zscore(queue.keys.delayed!, jobId);
    if (score === null) return;
    const dueAt = Math.floor(Number(score) / DELAYED_SCORE_FACTOR);
    if (dueAt <= Date.now() + delayMs) return;
    const job = await queue.getJob(jobId);
    // Throws when the job is no longer delayed: it has started or is about to, which satisfies the wake.
    await job?.changeDelay(delayMs).catch(() => undefined);
  };

  const enqueueNow = async (requests: readonly JobRequest[]): Promise<void> => {
    const jobs = requests.map((request) => ({
      request,
      jobId: randomUUID(),
      delayMs: Math.max(0, Math.floor(request.delayMs ?? 0)),
    }));
    const added = await queue.addBulk(
      jobs.map(({ request, jobId, delayMs }) => ({
        name: 'wake',
        data: { id: request.id, data: request.data ?? {} },
        opts: { jobId, delay: delayMs, deduplication: { id: request.id, keepLastIfActive: !request.onlyIfAbsent } },
      })),
    );
    await Promise.all(
      jobs.map(({ request, jobId, delayMs }, index) => {
        const existing = added[index]?.id;
        return existing && existing !== jobId && !request.onlyIfAbsent ? bringForward(existing, delayMs) : undefined;
      }),
    );
  };

  const enqueue = async (requests: readonly JobRequest[]): Promise<void> => {
    if (requests.length === 0) return;
    await withDeadline(enqueueNow(requests), deadlineMs, 'an enqueue');
  };

  const isHeldNow = async (id: string): Promise<boolean> => {
    const jobId = await queue.getDeduplicationJobId(id);
    // A key whose job hash is gone (data lost) holds nothing; BullMQ's next add recovers it too.
    if (!jobId || !(await queue.getJob(jobId))) return false;
    const state = await queue.getJobState(jobId);
    return state !== 'unknown' && state !== 'completed' && state !== 'failed';
  };
  const isHeld = (id: string): Promise<boolean> => withDeadline(isHeldNow(id), deadlineMs, 'isHeld');

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await Promise.all([...workers].map((worker) => worker.close()));
    // BullMQ's close can wait on a connection that is down; the connection is ours to drop anyway.
    await withDeadline(queue.close(), closeTimeoutMs, 'closing the queue').catch(() => undefined);
    await closeRedisConnection(connection);
  };

  const jobCounts = async (): Promise<JobCounts> => {
    const counts = await withDeadline(queue.getJobCounts('waiting', 'delayed', 'active'), deadlineMs, 'counting jobs');
    return { waiting: counts['waiting'] ?? 0, delayed: counts['delayed'] ?? 0, active: counts['active'] ?? 0 };
  };

  return {
    enqueue,
    isHeld,
    jobCounts,
    startWorker(handler, workerOptions) {
      const worker = startBullmqJobWorker(
        {
          redisUrl: options.redisUrl,
          name: options.name,
          prefix,
          retry,
          closeTimeoutMs,
          connectionName,
          onInfrastructureError,
          onRecovered: options.onRecovered,
          stalled: options.stalled,
        },
        handler,
        workerOptions,
      );
      workers.add(worker);
      return worker;
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
}
