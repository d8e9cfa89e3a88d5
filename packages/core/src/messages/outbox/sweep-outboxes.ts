/*
 * The outbox's safety net: Postgres says which instances have queued messages; this wakes the outbox job
 * of each that no live job holds. It recovers from a crash between a commit and its enqueue, a Redis flush,
 * and a worker that died holding a claim (its instance shows up again once the claim expired). Run it on
 * start and on an interval; waking an instance that has nothing due costs one empty drain run.
 */
import type { Clock, JobQueue, UnitOfWork } from '../../shared/index.js';
import type { MessageRepositories } from '../message-repositories.js';
import { outboxJobId } from './outbox-job.js';

export interface SweepOutboxesDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
  readonly clock: Clock;
  readonly outboxQueue: Pick<JobQueue, 'enqueue' | 'isHeld'>;
  /** Instances read per page. Default 500. */
  readonly pageSize?: number;
}

/** Returns how many outbox jobs it enqueued. */
export type SweepOutboxes = () => Promise<{ readonly woken: number }>;

export function createSweepOutboxes({ uow, clock, outboxQueue, pageSize = 500 }: SweepOutboxesDeps): SweepOutboxes {
  return async () => {
    const now = clock.now();
    let woken = 0;
    let afterInstanceId: string | null = null;
    for (;;) {
      const page = await uow.repos.messages.listInstancesWithQueued(now, { afterInstanceId, limit: pageSize });
      const idle = [];
      for (const { instanceId, customerId } of page) {
        if (!(await outboxQueue.isHeld(outboxJobId(instanceId)))) idle.push({ id: outboxJobId(instanceId), data: { customerId } });
      }
      if (idle.length > 0) await outboxQueue.enqueue(idle);
      woken += idle.length;
      if (page.length < pageSize) return { woken };
      afterInstanceId = page[page.length - 1]!.instanceId;
    }
  };
}
