/*
 * Webhooks: endpoints (endpoints/), deliveries and the event recorder that writes them (deliveries/), the
 * delivery worker (worker/), and secrets and signatures (signing/).
 */
export { createWebhookUseCases, type WebhookUseCasesDeps, type WebhookUseCases } from './create-webhook-use-cases.js';
export { buildEnvelope, type BuildEnvelopeOptions } from './deliveries/build-envelope.js';
export { surplusDeliveryId, surplusDeliveryIdPrefix } from './deliveries/surplus-delivery-id.js';
export {
  prepareEvent,
  createEventRecorder,
  type EventRecorderDeps,
  type RecordedForEndpoint,
  type WebhookEventRecorder,
} from './deliveries/create-event-recorder.js';
export {
  createGetWebhookDelivery,
  type GetWebhookDeliveryDeps,
  type WebhookDeliveryWithAttempts,
  type GetWebhookDelivery,
} from './deliveries/get-webhook-delivery.js';
export {
  createListWebhookDeliveries,
  type ListWebhookDeliveriesDeps,
  type ListWebhookDeliveriesInput,
  type ListWebhookDeliveries,
} from './deliveries/list-webhook-deliveries.js';
export {
  createRecoverWebhookDeliveries,
  type RecoverWebhookDeliveriesDeps,
  type RecoverWebhookDeliveriesInput,
  type RecoverWebhookDeliveries,
} from './deliveries/recover-webhook-deliveries.js';
export {
  createReplayWebhookDelivery,
  type ReplayWebhookDeliveryDeps,
  type ReplayWebhookDelivery,
} from './deliveries/replay-webhook-delivery.js';
export { serializeEnvelope } from './deliveries/serialize-envelope.js';
export type {
  DeliveryBacklog,
  DueDelivery,
  WebhookDeliveryFilter,
  DeliveryClaimRequest,
  DeliveryClaimResult,
  DeliveryCompletion,
  DeliveryAuditEvent,
  EventFanOut,
  FannedOutDelivery,
  WebhookDeliveryRepository,
} from './deliveries/webhook-delivery-repository.js';
export {
  WEBHOOK_DELIVERY_STATUSES,
  type WebhookDeliveryStatus,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookDeliverySummary,
} from './deliveries/webhook-delivery.js';
export {
  createCreateWebhookEndpoint,
  type CreateWebhookEndpointDeps,
  type CreateWebhookEndpointInput,
  type EndpointWithSecret,
  type CreateWebhookEndpoint,
} from './endpoints/create-webhook-endpoint.js';
export {
  createDeleteWebhookEndpoint,
  type DeleteWebhookEndpointDeps,
  type DeleteWebhookEndpoint,
} from './endpoints/delete-webhook-endpoint.js';
export {
  DEFAULT_WEBHOOK_ENDPOINT_LIMITS,
  endpointsReachingInstance,
  assertEndpointWithinLimits,
  type WebhookEndpointLimits,
} from './endpoints/endpoint-limits.js';
export {
  selectorsFor,
  endpointMatches,
  type EventFamilySelector,
  type EventSelector,
  type EndpointSubscription,
  type MatchableEvent,
} from './endpoints/endpoint-matches.js';
export {
  createGetWebhookEndpointLimits,
  type WebhookEndpointUsage,
  type GetWebhookEndpointLimits,
} from './endpoints/get-webhook-endpoint-limits.js';
export {
  createGetWebhookEndpoint,
  type GetWebhookEndpointDeps,
  type GetWebhookEndpoint,
} from './endpoints/get-webhook-endpoint.js';
export {
  createListWebhookEndpoints,
  type ListWebhookEndpointsDeps,
  type ListWebhookEndpoints,
} from './endpoints/list-webhook-endpoints.js';
export {
  PREVIOUS_SECRET_TTL_MS,
  createRotateWebhookSecret,
  type RotateWebhookSecretDeps,
  type RotateWebhookSecretInput,
  type RotateWebhookSecret,
} from './endpoints/rotate-webhook-secret.js';
export {
  createSendTestWebhook,
  type SendTestWebhookDeps,
  type SendTestWebhook,
} from './endpoints/send-test-webhook.js';
export {
  createUpdateWebhookEndpoint,
  type UpdateWebhookEndpointDeps,
  type UpdateWebhookEndpointInput,
  type UpdateWebhookEndpoint,
} from './endpoints/update-webhook-endpoint.js';
export { EVENT_FAMILY_SELECTORS, validateEventNames } from './endpoints/validate-event-names.js';
export type {
  WebhookEndpointCounts,
  WebhookEndpointPatch,
  WebhookEndpointRepository,
} from './endpoints/webhook-endpoint-repository.js';
export {
  withoutSecrets,
  type WebhookEndpointDisabledReason,
  type WebhookEndpoint,
  type WebhookEndpointSecrets,
  type StoredWebhookEndpoint,
} from './endpoints/webhook-endpoint.js';
export {
  createResealWebhookSecrets,
  type ResealWebhookSecretsDeps,
  type ResealReport,
  type ResealWebhookSecrets,
} from './signing/reseal-webhook-secrets.js';
export {
  SecretBoxError,
  createSecretBox,
  type SealedSecret,
  type SecretBox,
  type SecretBoxErrorReason,
  type SecretBoxKeys,
} from './signing/secret-box.js';
export {
  SECRETS_KEY_BYTES,
  SECRETS_KEY_FORMAT,
  secretsKeyId,
  secretsKeyFromBytes,
  parseSecretsKey,
  generateSecretsKey,
  type SecretsKey,
} from './signing/secrets-key.js';
export { signWebhook, type SignWebhookInput, type WebhookSignatureHeaders } from './signing/sign-webhook.js';
export {
  SIGNING_SECRET_PREFIX,
  SIGNING_SECRET_BYTES,
  MIN_SIGNING_SECRET_BYTES,
  MAX_SIGNING_SECRET_BYTES,
  generateSigningSecret,
  validateSigningSecret,
  decodeSigningSecret,
} from './signing/signing-secret.js';
export type { WebhookRepositories } from './webhook-repositories.js';
export type { HostLease, HostGate } from './worker/host-gate.js';
export { parseRetryAfter } from './worker/parse-retry-after.js';
export { reportDelivery, type DeliveryOutcome, type DeliveryReport, type OnDeliveryReport } from './worker/delivery-observer.js';
export {
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  DEFAULT_HOST_WAIT_MS,
  DEFAULT_SECRET_RETRY_MS,
  SECRET_UNAVAILABLE_ERROR,
  createProcessDelivery,
  deliveryJobHandler,
  type ProcessDeliveryDeps,
  type ProcessDelivery,
  type SecretUnavailable,
} from './worker/process-delivery.js';
export {
  DEFAULT_SUCCESS_RETENTION_DAYS,
  DEFAULT_FAILED_RETENTION_DAYS,
  createPruneDeliveries,
  type PruneDeliveriesDeps,
  type PruneDeliveries,
} from './worker/prune-deliveries.js';
export {
  DEFAULT_RETRY_SCHEDULE_MS,
  DEFAULT_RETRY_JITTER,
  DEFAULT_RETRY_AFTER_MIN_MS,
  createRetryPolicy,
  type AttemptOutcome,
  type AttemptResult,
  type EndpointDisableReason,
  type RetryDecision,
  type RetryPolicyOptions,
  type RetryPolicy,
} from './worker/retry-policy.js';
export { WEBHOOK_USER_AGENT, RESPONSE_EXCERPT_BYTES } from './worker/send-delivery-attempt.js';
export { createSigningSecretHealth, type SigningSecretHealth } from './worker/signing-secret-health.js';
export {
  DEFAULT_SWEEP_LIMIT,
  DEFAULT_SWEEP_MAX_PAGES,
  createSweepDueDeliveries,
  type SweepDueDeliveriesDeps,
  type SweepDueDeliveries,
} from './worker/sweep-due-deliveries.js';
export {
  MAX_WEBHOOK_URL_LENGTH,
  WebhookEndpointJson,
  WebhookEndpointWithSecretJson,
  CreateWebhookEndpointBody,
  UpdateWebhookEndpointBody,
  RotateWebhookSecretBody,
  WebhookTestJson,
  toWebhookEndpointJson,
  toWebhookEndpointWithSecretJson,
} from './endpoints/webhook-endpoint-schema.js';
export {
  webhookDeliveryFilterEntries,
  WebhookDeliveryJson,
  WebhookDeliveryAttemptJson,
  WebhookDeliveryDetailJson,
  RecoverWebhookDeliveriesBody,
  RecoveredJson,
  toWebhookDeliveryJson,
  toWebhookDeliveryDetailJson,
} from './deliveries/webhook-delivery-schema.js';
