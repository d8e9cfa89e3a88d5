/*
 * Fan-out bounds. One inbound event becomes one POST per matching endpoint, so the number of endpoints is
 * the amplification a customer can buy with one message. Two bounds: endpoints per customer (everything
 * the customer can make us send per event), and endpoints an instance's events reach (bound to it, plus the
 * customer-wide ones): 10 per instance covers a production, a staging and a few integration receivers.
 */
import { DomainError } from '../../shared/index.js';
import type { WebhookEndpointCounts } from './webhook-endpoint-repository.js';

export interface WebhookEndpointLimits {
  readonly perCustomer: number;
  readonly perInstance: number;
}

export const DEFAULT_WEBHOOK_ENDPOINT_LIMITS: WebhookEndpointLimits = { perCustomer: 20, perInstance: 10 };

/** How many endpoints one instance's events reach: bound to `instanceId`, or (null) the busiest instance. */
export function endpointsReachingInstance(counts: WebhookEndpointCounts, instanceId: string | null): number {
  return counts.customerWide + (instanceId === null ? counts.mostBoundToOneInstance : counts.boundToInstance);
}

/** Throws `limit_exceeded` when one more endpoint (bound to `instanceId`, or customer-wide) would pass a bound. */
export function assertEndpointWithinLimits(limits: WebhookEndpointLimits, counts: WebhookEndpointCounts, instanceId: string | null): void {
  if (counts.total >= limits.perCustomer) {
    throw new DomainError('limit_exceeded', `A customer may have at most ${limits.perCustomer} webhook endpoints; delete one first.`, {
      limit: 'webhook_endpoints_per_customer',
      max: limits.perCustomer,
      current: counts.total,
    });
  }
  const reaching = endpointsReachingInstance(counts, instanceId);
  if (reaching >= limits.perInstance) {
    const which = instanceId === null ? 'an instance' : 'this instance';
    throw new DomainError(
      'limit_exceeded',
      `The events of ${which} already go to ${reaching} webhook endpoints (its own and the customer-wide ones); at most ${limits.perInstance}.`,
      { limit: 'webhook_endpoints_per_instance', max: limits.perInstance, current: reaching },
    );
  }
}
