/*
 * Builders for webhook records in tests (contract suites included). Secrets are placeholders shaped like
 * sealed ones: repositories store them opaquely and never open them.
 */
import type { WebhookDelivery, StoredWebhookEndpoint } from '../webhooks/index.js';
import { newId } from '../shared/index.js';

const now = (): Date => new Date(Date.now());

export function aWebhookEndpoint(customerId: string, overrides: Partial<StoredWebhookEndpoint> = {}): StoredWebhookEndpoint {
  const at = now();
  const id = newId('webhookEndpoint');
  return {
    id,
    customerId,
    instanceId: null,
    url: `https://hooks.example.com/${id.slice(-8)}`,
    description: null,
    events: ['*'],
    enabled: true,
    disabledReason: null,
    secret: { keyId: 'testkey1', ciphertext: `v1.sealed-${id.slice(-8)}` },
    previousSecret: null,
    previousSecretExpiresAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function aWebhookDelivery(
  customerId: string,
  endpointId: string,
  overrides: Partial<WebhookDelivery> = {},
): WebhookDelivery {
  const at = now();
  const eventId = overrides.eventId ?? newId('event');
  return {
    id: newId('delivery'),
    customerId,
    endpointId,
    instanceId: null,
    event: 'message.received',
    eventId,
    payload: JSON.stringify({ event: 'message.received', event_id: eventId }),
    status: 'pending',
    attemptCount: 0,
    nextAttemptAt: at,
    lastResponseStatus: null,
    lastError: null,
    deliveredAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
