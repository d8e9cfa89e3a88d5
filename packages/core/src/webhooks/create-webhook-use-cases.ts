/*
 * Every webhook use case, built from one bag of dependencies and named as the HTTP route groups expect
 * them (`webhookEndpointRoutes`, `webhookDeliveryRoutes`), so the server and tests wire them the same way.
 */
import type { Clock, JobQueue, OutboundHttp, UnitOfWork } from '../shared/index.js';
import type { WebhookEventRecorder } from './deliveries/create-event-recorder.js';
import type { WebhookRepositories } from './webhook-repositories.js';
import type { SecretBox } from './signing/secret-box.js';
import { createCreateWebhookEndpoint } from './endpoints/create-webhook-endpoint.js';
import { createDeleteWebhookEndpoint } from './endpoints/delete-webhook-endpoint.js';
import { createGetWebhookDelivery } from './deliveries/get-webhook-delivery.js';
import { createGetWebhookEndpoint } from './endpoints/get-webhook-endpoint.js';
import { createListWebhookDeliveries } from './deliveries/list-webhook-deliveries.js';
import { createListWebhookEndpoints } from './endpoints/list-webhook-endpoints.js';
import { createRecoverWebhookDeliveries } from './deliveries/recover-webhook-deliveries.js';
import { createReplayWebhookDelivery } from './deliveries/replay-webhook-delivery.js';
import { createRotateWebhookSecret } from './endpoints/rotate-webhook-secret.js';
import { createSendTestWebhook } from './endpoints/send-test-webhook.js';
import { createUpdateWebhookEndpoint } from './endpoints/update-webhook-endpoint.js';
import { createGetWebhookEndpointLimits } from './endpoints/get-webhook-endpoint-limits.js';
import { DEFAULT_WEBHOOK_ENDPOINT_LIMITS, type WebhookEndpointLimits } from './endpoints/endpoint-limits.js';

export interface WebhookUseCasesDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
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
