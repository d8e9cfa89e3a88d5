/*
 * The safety net of at-least-once: Postgres says what is due, the queue is only told again. It covers a
 * process that died between a commit and its enqueue, a Redis that lost its jobs, and a worker that died
 * mid-attempt (its claim expired). Enqueueing is idempotent by job id (a live job is left alone), so
 * every due delivery is simply enqueued; run it every few seconds.
 *
 * A sweep walks the due deliveries most overdue first, a page at a time, up to `maxPages`; when it stops
 * early, the next sweep continues where it stopped, and once it reaches the end it starts over. So a backlog
 * larger than a page (thousands due to one hung host, all waiting on jobs that are alive) cannot hide the
 * deliveries behind it from the sweeper.
 */
import { TRACEPARENT_JOB_DATA, type Clock, type JobQueue, type JobRequest, type UnitOfWork } from '../../shared/index.js';
import type { DueDelivery } from '../deliveries/webhook-delivery-repository.js';
import type { WebhookRepositories } from '../webhook-repositories.js';

export const DEFAULT_SWEEP_LIMIT = 1_000;
export const DEFAULT_SWEEP_MAX_PAGES = 10;

export interface SweepDueDeliveriesDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
  readonly deliveryQueue: Pick<JobQueue, 'enqueue'>;
}

/** Returns how many deliveries were enqueued (pages of `limit`, default 1,000, at most `maxPages`, default 10). */
export type SweepDueDeliveries = (options?: { readonly limit?: number; readonly maxPages?: number }) => Promise<number>;

/** The delivery's job; its stored trace context rides along so the attempt joins the delivery's trace. */
const toJob = ({ id, traceparent }: DueDelivery): JobRequest =>
  traceparent ? { id, data: { [TRACEPARENT_JOB_DATA]: traceparent } } : { id };

export function createSweepDueDeliveries({ uow, clock, deliveryQueue }: SweepDueDeliveriesDeps): SweepDueDeliveries {
  let resumeAfter: DueDelivery | null = null;
  return async ({ limit = DEFAULT_SWEEP_LIMIT, maxPages = DEFAULT_SWEEP_MAX_PAGES } = {}) => {
    const now = clock.now();
    let enqueued = 0;
    for (let page = 0; page < maxPages; page++) {
      const due = await uow.repos.webhookDeliveries.listDue(now, limit, resumeAfter);
      if (due.length > 0) await deliveryQueue.enqueue(due.map(toJob));
      enqueued += due.length;
      if (due.length < limit) {
        resumeAfter = null; // reached the end: the next sweep starts from the most overdue again
        break;
      }
      resumeAfter = due[due.length - 1]!;
    }
    return enqueued;
  };
}
