import type { Job } from '@whatisup/core';
import { isRedisUnavailableError } from '@whatisup/queue-bullmq';
import type { Logger } from 'pino';

/**
 * A job that threw, said once rather than once per retry: its first failure at warn, the retries after it at
 * debug, and the failure that ends its retries at error. The sweepers wake its work again after that.
 *
 * A job that threw because Redis is unavailable (a wake it hands on cannot be enqueued) is at debug whatever
 * its attempt: its work is staged in Postgres, and the outage is already said once per Redis connection by
 * the queue's own reporter. At warn, every job running when Redis went away would say it again.
 */
export function logJobFailure(
  logger: Logger,
  failure: { readonly error: unknown; readonly job: Job; readonly willRetry: boolean; readonly ids: Readonly<Record<string, string>> },
  message: string,
): void {
  const { error, job, willRetry } = failure;
  const fields = { err: error, ...failure.ids, job_id: job.id, attempt: job.attempt, will_retry: willRetry };
  if (isRedisUnavailableError(error)) logger.debug(fields, `${message}: Redis is unavailable, the sweeper wakes it again`);
  else if (!willRetry) logger.error(fields, message);
  else if (job.attempt === 1) logger.warn(fields, message);
  else logger.debug(fields, message);
}
