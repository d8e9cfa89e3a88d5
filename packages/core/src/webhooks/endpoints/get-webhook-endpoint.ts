import type { Principal, UnitOfWork } from '../../shared/index.js';
import type { WebhookEndpoint } from './webhook-endpoint.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import { findEndpointInScope } from './webhook-endpoint-scope.js';

export interface GetWebhookEndpointDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
}

export type GetWebhookEndpoint = (principal: Principal, input: { readonly id: string }) => Promise<WebhookEndpoint>;

/** The endpoint without secrets. Throws `not_found` (absent, another customer's) or `forbidden` (out of the key's scope). */
export function createGetWebhookEndpoint({ uow }: GetWebhookEndpointDeps): GetWebhookEndpoint {
  return async (principal, { id }) => findEndpointInScope(uow.repos, principal, id);
}
