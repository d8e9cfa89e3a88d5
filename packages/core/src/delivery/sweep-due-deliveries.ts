/*
 * The safety net of at-least-once: Postgres says what is due, the queue is only told again. It covers a
 * process that died between a commit and its enqueue, a Redis that lost its jobs, and a worker that died
 * mid-attempt (its claim expired). Enqueueing is idempotent by job id (a live job is left alone), so
 * every due delivery is simply enqueued; run it every few tens of seconds.
 */
import type { Clock } from '../clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';

export const DEFAULT_SWEEP_LIMIT = 1_000;

export interface SweepDueDeliveriesDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly deliveryQueue: Pick<JobQueue, 'enqueue'>;
}

/** Returns how many deliveries were enqueued (at most `limit`, default 1,000, most overdue first). */
export type SweepDueDeliveries = (options?: { readonly limit?: number }) => Promise<number>;

export function createSweepDueDeliveries({ uow, clock, deliveryQueue }: SweepDueDeliveriesDeps): SweepDueDeliveries {
  return async ({ limit = DEFAULT_SWEEP_LIMIT } = {}) => {
    const ids = await uow.repos.webhookDeliveries.listDue(clock.now(), limit);
    if (ids.length > 0) await deliveryQueue.enqueue(ids.map((id) => ({ id })));
    return ids.length;
  };
}
