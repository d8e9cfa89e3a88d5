import type { Principal } from '../../shared/actor.js';
import type { WebhookEndpoint } from './webhook-endpoint.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import { findEndpointInScope } from './webhook-endpoint-scope.js';

export interface GetWebhookEndpointDeps {
  readonly uow: UnitOfWork;
}

export type GetWebhookEndpoint = (principal: Principal, input: { readonly id: string }) => Promise<WebhookEndpoint>;

/** The endpoint without secrets. Throws `not_found` (absent, another customer's) or `forbidden` (out of the key's scope). */
export function createGetWebhookEndpoint({ uow }: GetWebhookEndpointDeps): GetWebhookEndpoint {
  return async (principal, { id }) => findEndpointInScope(uow.repos, principal, id);
}
