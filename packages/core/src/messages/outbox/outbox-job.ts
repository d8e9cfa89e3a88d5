import type { JobHandler } from '../../shared/index.js';

/** The queue job that drains one instance's outbox: one live job per instance (see the JobQueue port in shared/job-queue.ts). */
export const outboxJobId = (instanceId: string): string => `outbox:${instanceId}`;

/** The instance id of an outbox job id, or null when `jobId` is not one. */
export function instanceIdOfOutboxJob(jobId: string): string | null {
  return jobId.startsWith('outbox:') && jobId.length > 'outbox:'.length ? jobId.slice('outbox:'.length) : null;
}

/** The outbox queue's job handler: drains the job's instance; a job id that is not an outbox id is dropped. */
export function createOutboxJobHandler(drainOutbox: (instanceId: string) => ReturnType<JobHandler>): JobHandler {
  return async (job) => {
    const instanceId = instanceIdOfOutboxJob(job.id);
    return instanceId === null ? undefined : drainOutbox(instanceId);
  };
}
