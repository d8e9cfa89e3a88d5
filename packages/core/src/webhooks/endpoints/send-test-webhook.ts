import { actorOf, DomainError, type Clock, type Principal, type UnitOfWork } from '../../shared/index.js';
import type { RecordedForEndpoint, WebhookEventRecorder } from '../deliveries/create-event-recorder.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import { findEndpointInScope } from './webhook-endpoint-scope.js';

export interface SendTestWebhookDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
  readonly recorder: Pick<WebhookEventRecorder, 'recordForEndpoint'>;
}

export type SendTestWebhook = (principal: Principal, input: { readonly id: string }) => Promise<RecordedForEndpoint>;

/**
 * Records a `webhook.test` event for this endpoint only, whatever events it subscribes to, and lets the
 * real pipeline deliver it (signed, retried, visible in the deliveries list). Returns the envelope and the
 * delivery id. Throws `not_found` / `forbidden` as getWebhookEndpoint does and `conflict` when the
 * endpoint is disabled (enable it first). Audited as `webhook_endpoint.tested`.
 *
 * No transaction: the endpoint is read, then the delivery and its audit event are written by one
 * statement (atomic on its own). An endpoint disabled or deleted between the two steps gets its test
 * delivery anyway (or the write fails on the missing endpoint), as a test sent a moment earlier would have.
 */
export function createSendTestWebhook({ uow, clock, recorder }: SendTestWebhookDeps): SendTestWebhook {
  return async (principal, { id }) => {
    const endpoint = await findEndpointInScope(uow.repos, principal, id);
    if (!endpoint.enabled) {
      throw new DomainError('conflict', 'This webhook endpoint is disabled; enable it before sending a test.', {
        disabled_reason: endpoint.disabledReason,
      });
    }
    const now = clock.now();
    return recorder.recordForEndpoint(
      uow.repos,
      {
        customerId: principal.customerId,
        instanceId: endpoint.instanceId,
        name: 'webhook.test',
        data: { endpoint_id: endpoint.id, message: 'A test event sent from the WhatIsUp API.' },
        occurredAt: now,
      },
      endpoint,
      (recorded) => ({
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'webhook_endpoint.tested',
        targetType: 'webhook_endpoint',
        targetId: endpoint.id,
        instanceId: endpoint.instanceId,
        data: { event_id: recorded.envelope.event_id, delivery_id: recorded.deliveryId },
        occurredAt: now,
      }),
    );
  };
}
