import { actorOf, notFound, type Clock, type Principal, type UnitOfWork } from '../../shared/index.js';
import type { WebhookEndpoint } from './webhook-endpoint.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import { findEndpointInScope } from './webhook-endpoint-scope.js';

export interface DeleteWebhookEndpointDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
}

export type DeleteWebhookEndpoint = (principal: Principal, input: { readonly id: string }) => Promise<WebhookEndpoint>;

/**
 * Deletes the endpoint, and with it its deliveries and their attempts (the schema cascades; a queued job
 * for one of them then finds nothing and does nothing). Returns the endpoint as it was. Throws
 * `not_found` / `forbidden` as getWebhookEndpoint does. Audited as `webhook_endpoint.deleted`.
 */
export function createDeleteWebhookEndpoint({ uow, clock }: DeleteWebhookEndpointDeps): DeleteWebhookEndpoint {
  return async (principal, { id }) => {
    const now = clock.now();
    return uow.transaction(async (repos) => {
      await findEndpointInScope(repos, principal, id);
      const deleted = await repos.webhookEndpoints.delete(principal.customerId, id);
      if (deleted === null) throw notFound('webhook endpoint', id);
      await repos.audit.append({
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'webhook_endpoint.deleted',
        targetType: 'webhook_endpoint',
        targetId: id,
        instanceId: deleted.instanceId,
        data: { url: deleted.url },
        occurredAt: now,
      });
      return deleted;
    });
  };
}
