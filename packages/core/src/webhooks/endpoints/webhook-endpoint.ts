import type { SealedSecret } from '../signing/secret-box.js';
import type { EventSelector } from './endpoint-matches.js';

/** Why an endpoint is disabled: `gone` (the receiver answered 410) or `manual` (disabled through the API). */
export type WebhookEndpointDisabledReason = 'gone' | 'manual';

/** A customer's webhook endpoint as the API shows it: never any secret, sealed or not. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly customerId: string;
  /** Null: events of every instance of the customer (and events of no instance). */
  readonly instanceId: string | null;
  /** The normalised URL that passed the outbound policy. */
  readonly url: string;
  readonly description: string | null;
  /** Event names or `['*']`, as normalised by validateEventNames. */
  readonly events: readonly EventSelector[];
  readonly enabled: boolean;
  /** Set while disabled; null when enabled. */
  readonly disabledReason: WebhookEndpointDisabledReason | null;
  /** Until when the previous secret still signs (a rotation in progress), or null. */
  readonly previousSecretExpiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The signing secrets of an endpoint as stored: sealed by the SecretBox, never plaintext. */
export interface WebhookEndpointSecrets {
  readonly secret: SealedSecret;
  /** The secret before the last rotation, signing too until `previousSecretExpiresAt`. */
  readonly previousSecret: SealedSecret | null;
  readonly previousSecretExpiresAt: Date | null;
}

/** An endpoint with its sealed secrets (what the repository stores and the delivery worker reads). */
export interface StoredWebhookEndpoint extends WebhookEndpoint, WebhookEndpointSecrets {}

/** The public record of a stored endpoint. */
export function withoutSecrets(endpoint: StoredWebhookEndpoint): WebhookEndpoint {
  const { secret: _secret, previousSecret: _previous, ...rest } = endpoint;
  return rest;
}
