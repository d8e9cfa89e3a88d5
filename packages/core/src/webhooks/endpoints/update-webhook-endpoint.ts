import {
  actorOf,
  notFound,
  type Clock,
  type Principal,
  type OutboundHttp,
  type UnitOfWork,
} from '../../shared/index.js';
import type { WebhookEndpoint } from './webhook-endpoint.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import type { WebhookEndpointPatch } from './webhook-endpoint-repository.js';
import { validateEventNames } from './validate-event-names.js';
import { findEndpointInScope, validDescription } from './webhook-endpoint-scope.js';

export interface UpdateWebhookEndpointDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
  readonly outbound: Pick<OutboundHttp, 'checkUrl'>;
}

/** A patch: absent fields are left unchanged; `description: null` clears it. */
export interface UpdateWebhookEndpointInput {
  readonly id: string;
  readonly url?: string | undefined;
  readonly events?: readonly string[] | undefined;
  readonly description?: string | null | undefined;
  /** false disables (reason `manual`); true re-enables and clears the disabled reason. */
  readonly enabled?: boolean | undefined;
}

export type UpdateWebhookEndpoint = (principal: Principal, input: UpdateWebhookEndpointInput) => Promise<WebhookEndpoint>;

/**
 * Throws `not_found` / `forbidden` as getWebhookEndpoint does, `unsafe_url` for a refused new URL and
 * `invalid_input` for bad events or description. Audited as `webhook_endpoint.updated` with the changed
 * field names (and the new URL and events).
 */
export function createUpdateWebhookEndpoint({ uow, clock, outbound }: UpdateWebhookEndpointDeps): UpdateWebhookEndpoint {
  return async (principal, input) => {
    await findEndpointInScope(uow.repos, principal, input.id);
    const events = input.events === undefined ? undefined : validateEventNames(input.events);
    const description = input.description === undefined ? undefined : validDescription(input.description);
    const url = input.url === undefined ? undefined : (await outbound.checkUrl(input.url)).url;
    const toggled =
      input.enabled === undefined ? {} : { enabled: input.enabled, disabledReason: input.enabled ? null : ('manual' as const) };
    const patch: WebhookEndpointPatch = { url, events, description, ...toggled };
    const changed = Object.entries(patch)
      .filter(([field, value]) => value !== undefined && field !== 'disabledReason')
      .map(([field]) => field);
    const now = clock.now();
    return uow.transaction(async (repos) => {
      const current = await findEndpointInScope(repos, principal, input.id);
      // Disabling an endpoint the worker already disabled keeps the worker's reason.
      const keepReason = input.enabled === false && !current.enabled;
      const updated = await repos.webhookEndpoints.update(
        principal.customerId,
        input.id,
        keepReason ? { ...patch, enabled: undefined, disabledReason: undefined } : patch,
        now,
      );
      if (updated === null) throw notFound('webhook endpoint', input.id);
      await repos.audit.append({
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'webhook_endpoint.updated',
        targetType: 'webhook_endpoint',
        targetId: updated.id,
        instanceId: updated.instanceId,
        data: { changed, ...(url === undefined ? {} : { url }), ...(events === undefined ? {} : { events }) },
        occurredAt: now,
      });
      return updated;
    });
  };
}
