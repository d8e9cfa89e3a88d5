/*
 * Runs a JobHandler on a BullMQ Worker. Three translations happen here:
 *  - `{ deferMs }` becomes `moveToDelayed` + DelayedError: the same job is delayed and no attempt is spent.
 *    A wake that arrived during the run was stored by BullMQ as the job to create when this one finishes
 *    (`keepLastIfActive`), which a deferral does not do; so after deferring, a stored wake due sooner
 *    brings the delayed job forward (the stored one still runs once after it: a harmless extra wake);
 *  - a thrown error is reported to `onError` and replaced by a generic one before BullMQ sees it, so no
 *    handler message (which could carry a URL or a secret) is written to Redis; BullMQ then retries with
 *    the queue's bounded backoff;
 *  - closing stops fetching at once, waits for running handlers up to a timeout, then force-closes:
 *    an abandoned job's lock lapses and BullMQ's stalled check runs it again (at least once).
 */
import { DelayedError, Worker, type Job as BullJob } from 'bullmq';
import {
  jobRetryDelayMs,
  type Job,
  type JobHandler,
  type JobRetryPolicy,
  type JobWorker,
  type JobWorkerOptions,
} from '@whatisup/core';
import { closeRedisConnection, createRedisConnection } from './redis-connection.js';
import { watchRedisOutages } from './redis-outage-reporter.js';
import { withDeadline } from './with-deadline.js';
import type { WakeJobData } from './wake-job-data.js';

export interface BullmqJobWorkerDeps {
  readonly redisUrl: string;
  readonly name: string;
  readonly prefix: string;
  readonly retry: JobRetryPolicy;
  readonly closeTimeoutMs: number;
  readonly connectionName: string;
  readonly onInfrastructureError: (error: Error) => void;
  readonly onRecovered: (() => void) | undefined;
  readonly stalled: { readonly lockMs: number; readonly checkIntervalMs: number } | undefined;
}

export function startBullmqJobWorker(
  deps: BullmqJobWorkerDeps,
  handler: JobHandler,
  options: JobWorkerOptions,
): JobWorker {
  const connection = createRedisConnection(deps.redisUrl, deps.connectionName);
  const outages = watchRedisOutages(connection, { onError: deps.onInfrastructureError, onRecovered: deps.onRecovered });
  const running = new Set<Promise<unknown>>();

  const runHandler = async (bullJob: BullJob<WakeJobData>, token?: string): Promise<void> => {
    const job: Job = { id: bullJob.data.id, data: bullJob.data.data, attempt: bullJob.attemptsMade + 1 };
    let outcome;
    // Closing waits for handlers, not for the Redis bookkeeping after them (moveToDelayed, completion):
    // during an outage that bookkeeping waits for a reconnect, and a lost step is recovered by the
    // stalled check or the sweeper.
    const run = Promise.resolve().then(() => handler(job));
    running.add(run);
    try {
      outcome = await run;
    } catch (error) {
      options.onError?.(error, job, job.attempt < (bullJob.opts.attempts ?? 1));
      throw new Error('The job handler failed; see the worker log.');
    } finally {
      running.delete(run);
    }
    if (outcome && typeof outcome.deferMs === 'number') {
      const deferMs = Math.max(0, outcome.deferMs);
      await bullJob.moveToDelayed(Date.now() + deferMs, token);
      await bringForwardForStoredWake(bullJob, deferMs);
      throw new DelayedError();
    }
  };

  /** BullMQ keeps the wake that arrived during a run in `<prefix>:<queue>:dn:<deduplication id>`. */
  const bringForwardForStoredWake = async (bullJob: BullJob<WakeJobData>, deferMs: number): Promise<void> => {
    const stored = await connection.hget(`${deps.prefix}:${deps.name}:dn:${bullJob.data.id}`, 'opts');
    if (stored === null) return;
    const wakeDelayMs = Number((JSON.parse(stored) as { delay?: number }).delay ?? 0);
    if (wakeDelayMs >= deferMs) return;
    // Throws when the job is no longer delayed (another wake promoted it): then it runs already.
    await (wakeDelayMs <= 0 ? bullJob.promote() : bullJob.changeDelay(wakeDelayMs)).catch(() => undefined);
  };

  const worker = new Worker<WakeJobData>(
    deps.name,
    (bullJob, token) => runHandler(bullJob, token),
    {
      connection,
      prefix: deps.prefix,
      concurrency: options.concurrency,
      ...(deps.stalled && { lockDuration: deps.stalled.lockMs, stalledInterval: deps.stalled.checkIntervalMs }),
      settings: { backoffStrategy: (attemptsMade: number) => jobRetryDelayMs(attemptsMade, deps.retry) },
    },
  );
  worker.on('error', (error) => outages.error(error));

  let closing: Promise<void> | undefined;
  const close = async (timeoutMs: number): Promise<void> => {
    // Each BullMQ step may wait on a connection that is down (an outage during shutdown): bound them all.
    const bounded = (work: Promise<unknown>, ms: number, what: string) => withDeadline(work, ms, what).catch(() => undefined);
    const stepMs = Math.min(timeoutMs, 2_000);
    await bounded(worker.pause(true), stepMs, 'pausing the worker');
    await bounded(Promise.allSettled([...running]), timeoutMs, 'running jobs');
    await bounded(worker.close(true), stepMs, 'closing the worker');
    await closeRedisConnection(connection);
  };

  return {
    close(closeOptions) {
      closing ??= close(closeOptions?.timeoutMs ?? deps.closeTimeoutMs);
      return closing;
    },
  };
}
