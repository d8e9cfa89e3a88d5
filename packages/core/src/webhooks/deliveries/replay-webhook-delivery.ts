/*
 * A replay starts a new attempt series from the stored payload (the same bytes, the same event_id, so a
 * consumer that deduplicates sees a repeat): status `pending`, attempt count back to 0 so the full retry
 * schedule applies again, the previous series' outcome (last error, last response status, delivered_at)
 * cleared, due at once, woken after the commit. The earlier attempts stay in the history.
 * Any state may be replayed (a success to re-send, a failed one after a fix) except while an attempt is
 * in flight. The endpoint must be enabled: a disabled one would fail the replay at once.
 */
import {
  actorOf,
  DomainError,
  notFound,
  type Clock,
  type Principal,
  type JobQueue,
  type UnitOfWork,
} from '../../shared/index.js';
import type { WebhookDelivery } from './webhook-delivery.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import { findDeliveryInScope } from './webhook-delivery-scope.js';

export interface ReplayWebhookDeliveryDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
  readonly deliveryQueue: Pick<JobQueue, 'enqueue'>;
}

export type ReplayWebhookDelivery = (principal: Principal, input: { readonly id: string }) => Promise<WebhookDelivery>;

/** Throws `conflict` when the endpoint is disabled (it must be re-enabled first). */
export async function assertEndpointEnabled(repos: WebhookRepositories, customerId: string, endpointId: string): Promise<void> {
  const endpoint = await repos.webhookEndpoints.findById(customerId, endpointId);
  if (endpoint === null) throw notFound('webhook endpoint', endpointId);
  if (!endpoint.enabled) {
    throw new DomainError('conflict', 'The webhook endpoint is disabled; enable it before replaying.', {
      endpoint_id: endpointId,
      disabled_reason: endpoint.disabledReason,
    });
  }
}

/**
 * Throws `not_found` / `forbidden` as getWebhookDelivery does, and `conflict` when the endpoint is
 * disabled or an attempt is in flight. Audited as `webhook_delivery.replayed`.
 */
export function createReplayWebhookDelivery({ uow, clock, deliveryQueue }: ReplayWebhookDeliveryDeps): ReplayWebhookDelivery {
  return async (principal, { id }) => {
    const now = clock.now();
    return uow.transaction(async (repos, tx) => {
      const delivery = await findDeliveryInScope(repos, principal, id);
      await assertEndpointEnabled(repos, principal.customerId, delivery.endpointId);
      const replayed = await repos.webhookDeliveries.replay(principal.customerId, id, now);
      if (replayed === null) {
        throw new DomainError('conflict', 'An attempt of this delivery is in flight; try again in a moment.');
      }
      await repos.audit.append({
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'webhook_delivery.replayed',
        targetType: 'webhook_delivery',
        targetId: id,
        instanceId: delivery.instanceId,
        data: { endpoint_id: delivery.endpointId, event_id: delivery.eventId, previous_status: delivery.status },
        occurredAt: now,
      });
      tx.afterCommit(() => deliveryQueue.enqueue([{ id }]));
      return replayed;
    });
  };
}
