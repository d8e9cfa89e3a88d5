import type { Principal, UnitOfWork } from '../../shared/index.js';
import type { WebhookDelivery, WebhookDeliveryAttempt } from './webhook-delivery.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import { findDeliveryInScope } from './webhook-delivery-scope.js';

export interface GetWebhookDeliveryDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
}

export interface WebhookDeliveryWithAttempts {
  readonly delivery: WebhookDelivery;
  /** Oldest first, every series (replays restart the numbering). */
  readonly attempts: WebhookDeliveryAttempt[];
}

export type GetWebhookDelivery = (principal: Principal, input: { readonly id: string }) => Promise<WebhookDeliveryWithAttempts>;

/** The delivery with its payload and attempts. Throws `not_found` (absent, another customer's) or `forbidden`. */
export function createGetWebhookDelivery({ uow }: GetWebhookDeliveryDeps): GetWebhookDelivery {
  return async (principal, { id }) => {
    const delivery = await findDeliveryInScope(uow.repos, principal, id);
    const attempts = await uow.repos.webhookDeliveries.listAttempts(principal.customerId, id);
    return { delivery, attempts };
  };
}
