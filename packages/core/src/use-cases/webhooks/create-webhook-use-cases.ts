/*
 * Every webhook use case, built from one bag of dependencies and named as the HTTP route groups expect
 * them (`webhookEndpointRoutes`, `webhookDeliveryRoutes`), so the server and tests wire them the same way.
 */
import type { Clock } from '../../clock.js';
import type { WebhookEventRecorder } from '../../events/create-event-recorder.js';
import type { JobQueue } from '../../ports/job-queue.js';
import type { OutboundHttp } from '../../ports/outbound-http.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { SecretBox } from '../../webhooks/secret-box.js';
import { createCreateWebhookEndpoint } from './create-webhook-endpoint.js';
import { createDeleteWebhookEndpoint } from './delete-webhook-endpoint.js';
import { createGetWebhookDelivery } from './get-webhook-delivery.js';
import { createGetWebhookEndpoint } from './get-webhook-endpoint.js';
import { createListWebhookDeliveries } from './list-webhook-deliveries.js';
import { createListWebhookEndpoints } from './list-webhook-endpoints.js';
import { createRecoverWebhookDeliveries } from './recover-webhook-deliveries.js';
import { createReplayWebhookDelivery } from './replay-webhook-delivery.js';
import { createRotateWebhookSecret } from './rotate-webhook-secret.js';
import { createSendTestWebhook } from './send-test-webhook.js';
import { createUpdateWebhookEndpoint } from './update-webhook-endpoint.js';
import { createGetWebhookEndpointLimits } from './get-webhook-endpoint-limits.js';
import { DEFAULT_WEBHOOK_ENDPOINT_LIMITS, type WebhookEndpointLimits } from '../../webhooks/endpoint-limits.js';

export interface WebhookUseCasesDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly outbound: Pick<OutboundHttp, 'checkUrl'>;
  readonly secretBox: SecretBox;
  readonly recorder: Pick<WebhookEventRecorder, 'recordForEndpoint'>;
  readonly deliveryQueue: Pick<JobQueue, 'enqueue'>;
  /** Fan-out limits; default 20 endpoints per customer, 10 reaching one instance. */
  readonly limits?: WebhookEndpointLimits | undefined;
}

export function createWebhookUseCases({ uow, clock, outbound, secretBox, recorder, deliveryQueue, limits = DEFAULT_WEBHOOK_ENDPOINT_LIMITS }: WebhookUseCasesDeps) {
  return {
    createWebhookEndpoint: createCreateWebhookEndpoint({ uow, clock, outbound, secretBox, limits }),
    getWebhookEndpointLimits: createGetWebhookEndpointLimits({ uow, limits }),
    listWebhookEndpoints: createListWebhookEndpoints({ uow }),
    getWebhookEndpoint: createGetWebhookEndpoint({ uow }),
    updateWebhookEndpoint: createUpdateWebhookEndpoint({ uow, clock, outbound }),
    deleteWebhookEndpoint: createDeleteWebhookEndpoint({ uow, clock }),
    rotateWebhookSecret: createRotateWebhookSecret({ uow, clock, secretBox }),
    sendTestWebhook: createSendTestWebhook({ uow, clock, recorder }),
    listWebhookDeliveries: createListWebhookDeliveries({ uow }),
    getWebhookDelivery: createGetWebhookDelivery({ uow }),
    replayWebhookDelivery: createReplayWebhookDelivery({ uow, clock, deliveryQueue }),
    recoverWebhookDeliveries: createRecoverWebhookDeliveries({ uow, clock, deliveryQueue }),
  };
}

export type WebhookUseCases = ReturnType<typeof createWebhookUseCases>;
