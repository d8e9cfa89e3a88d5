import type { Principal, UnitOfWork } from '../../shared/index.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import { endpointsReachingInstance, type WebhookEndpointLimits } from './endpoint-limits.js';

export interface WebhookEndpointUsage {
  readonly perCustomer: { readonly limit: number; readonly used: number };
  /** `used`: the endpoints the caller's instance reaches (a bound key), else the busiest instance's. */
  readonly perInstance: { readonly limit: number; readonly used: number };
}

export type GetWebhookEndpointLimits = (principal: Principal) => Promise<WebhookEndpointUsage>;

/** The fan-out limits and how much of them the caller's customer uses (`GET /v1/limits`). */
export function createGetWebhookEndpointLimits({ uow, limits }: { uow: UnitOfWork<WebhookRepositories>; limits: WebhookEndpointLimits }): GetWebhookEndpointLimits {
  return async (principal) => {
    const counts = await uow.repos.webhookEndpoints.countEndpoints(principal.customerId, principal.instanceId);
    return {
      perCustomer: { limit: limits.perCustomer, used: counts.total },
      perInstance: { limit: limits.perInstance, used: endpointsReachingInstance(counts, principal.instanceId) },
    };
  };
}
