import {
  actorOf,
  DomainError,
  type Clock,
  type Principal,
  type JobQueue,
  type UnitOfWork,
} from '../../shared/index.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import { assertEndpointEnabled } from './replay-webhook-delivery.js';
import { findEndpointInScope } from '../endpoints/webhook-endpoint-scope.js';

export interface RecoverWebhookDeliveriesDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
  readonly deliveryQueue: Pick<JobQueue, 'enqueue'>;
}

export interface RecoverWebhookDeliveriesInput {
  readonly endpointId: string;
  /** Failed deliveries created at or after this time are replayed; must not be in the future. */
  readonly since: Date;
}

export type RecoverWebhookDeliveries = (
  principal: Principal,
  input: RecoverWebhookDeliveriesInput,
) => Promise<{ readonly count: number }>;

/**
 * Replays (see replayWebhookDelivery) every failed delivery of the endpoint since a time, e.g. after the
 * receiver was down. Returns how many. Throws `not_found` / `forbidden` as getWebhookEndpoint does,
 * `conflict` when the endpoint is disabled, `invalid_input` for a bad `since`. Audited as
 * `webhook_deliveries.recovered` with the count.
 */
export function createRecoverWebhookDeliveries({ uow, clock, deliveryQueue }: RecoverWebhookDeliveriesDeps): RecoverWebhookDeliveries {
  return async (principal, { endpointId, since }) => {
    const now = clock.now();
    if (Number.isNaN(since.getTime()) || since.getTime() > now.getTime()) {
      throw new DomainError('invalid_input', 'since must be a valid time, not in the future.', { field: 'since' });
    }
    return uow.transaction(async (repos, tx) => {
      const endpoint = await findEndpointInScope(repos, principal, endpointId);
      await assertEndpointEnabled(repos, principal.customerId, endpointId);
      const ids = await repos.webhookDeliveries.replayFailed(principal.customerId, endpointId, since, now);
      await repos.audit.append({
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'webhook_deliveries.recovered',
        targetType: 'webhook_endpoint',
        targetId: endpointId,
        instanceId: endpoint.instanceId,
        data: { since: since.toISOString(), count: ids.length },
        occurredAt: now,
      });
      if (ids.length > 0) tx.afterCommit(() => deliveryQueue.enqueue(ids.map((id) => ({ id }))));
      return { count: ids.length };
    });
  };
}
