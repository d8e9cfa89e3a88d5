/*
 * Who may see which delivery. A delivery belongs to its event's instance: a key bound to an instance sees
 * that instance's deliveries only (not those of events of no instance), `forbidden` for the others, as
 * for instances. Another customer's delivery is `not_found`.
 */
import { DomainError, notFound, type Principal } from '../../shared/index.js';
import type { WebhookDelivery } from './webhook-delivery.js';
import type { WebhookRepositories } from '../webhook-repositories.js';

export async function findDeliveryInScope(
  repos: WebhookRepositories,
  principal: Principal,
  id: string,
): Promise<WebhookDelivery> {
  const delivery = await repos.webhookDeliveries.findById(principal.customerId, id);
  if (delivery === null) throw notFound('webhook delivery', id);
  if (principal.instanceId !== null && delivery.instanceId !== principal.instanceId) {
    throw new DomainError('forbidden', 'This API key may only see deliveries of its own instance.', {
      instance_id: principal.instanceId,
    });
  }
  return delivery;
}
