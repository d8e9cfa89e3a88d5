import type { InstanceRepositories } from '../instances/index.js';
import type { WebhookDeliveryRepository } from './deliveries/webhook-delivery-repository.js';
import type { WebhookEndpointRepository } from './endpoints/webhook-endpoint-repository.js';

/** The repositories the webhook use cases and the delivery worker read and write in one unit of work. */
export interface WebhookRepositories extends InstanceRepositories {
  readonly webhookEndpoints: WebhookEndpointRepository;
  readonly webhookDeliveries: WebhookDeliveryRepository;
}
