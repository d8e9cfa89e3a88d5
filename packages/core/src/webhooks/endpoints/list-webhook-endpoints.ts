import { toPageRequest, type Principal, type Page, type UnitOfWork, type PageInput } from '../../shared/index.js';
import type { WebhookEndpoint } from './webhook-endpoint.js';
import type { WebhookRepositories } from '../webhook-repositories.js';

export interface ListWebhookEndpointsDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
}

export type ListWebhookEndpoints = (principal: Principal, input?: PageInput) => Promise<Page<WebhookEndpoint>>;

/**
 * The customer's endpoints, newest first, without secrets; a key bound to an instance sees only the
 * endpoints bound to that instance. Throws `invalid_input` for a bad limit.
 */
export function createListWebhookEndpoints({ uow }: ListWebhookEndpointsDeps): ListWebhookEndpoints {
  return async (principal, input = {}) => {
    const page = toPageRequest(input);
    const filter = principal.instanceId === null ? {} : { instanceId: principal.instanceId };
    return uow.repos.webhookEndpoints.list(principal.customerId, page, filter);
  };
}
