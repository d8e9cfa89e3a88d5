import type { Job } from '@whatisup/core';
import type { Logger } from 'pino';

/**
 * A job that threw, said once rather than once per retry: its first failure at warn, the retries after it at
 * debug, and the failure that ends its retries at error. The sweepers wake its work again after that.
 */
export function logJobFailure(
  logger: Logger,
  failure: { readonly error: unknown; readonly job: Job; readonly willRetry: boolean; readonly ids: Readonly<Record<string, string>> },
  message: string,
): void {
  const { error, job, willRetry } = failure;
  const fields = { err: error, ...failure.ids, job_id: job.id, attempt: job.attempt, will_retry: willRetry };
  if (!willRetry) logger.error(fields, message);
  else if (job.attempt === 1) logger.warn(fields, message);
  else logger.debug(fields, message);
}
