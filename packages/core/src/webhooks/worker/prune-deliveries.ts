import type { Clock, UnitOfWork } from '../../shared/index.js';
import type { WebhookRepositories } from '../webhook-repositories.js';

export const DEFAULT_SUCCESS_RETENTION_DAYS = 7;
export const DEFAULT_FAILED_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PruneDeliveriesDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
  /** Days a successful delivery (and its payload) is kept after it finished. Default 7. */
  readonly successRetentionDays?: number;
  /** Days a failed delivery is kept (replayable) after it failed. Default 30. */
  readonly failedRetentionDays?: number;
}

export type PruneDeliveries = () => Promise<{ readonly success: number; readonly failed: number }>;

/**
 * Deletes finished deliveries (with their attempts) older than their retention, counted from their last
 * update (when they finished). Pending and retrying ones are never pruned. Throws RangeError for a
 * retention that is not a positive number of days.
 */
export function createPruneDeliveries({ uow, clock, ...options }: PruneDeliveriesDeps): PruneDeliveries {
  const successDays = options.successRetentionDays ?? DEFAULT_SUCCESS_RETENTION_DAYS;
  const failedDays = options.failedRetentionDays ?? DEFAULT_FAILED_RETENTION_DAYS;
  if (!(successDays > 0) || !(failedDays > 0)) throw new RangeError('Delivery retention must be a positive number of days.');
  return async () => {
    const now = clock.now().getTime();
    return uow.repos.webhookDeliveries.prune({
      successBefore: new Date(now - successDays * DAY_MS),
      failedBefore: new Date(now - failedDays * DAY_MS),
    });
  };
}
