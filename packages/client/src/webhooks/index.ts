/** `@whatisup/client/webhooks`: verify deliveries without the rest of the client. */
export {
  DEFAULT_TOLERANCE_SECONDS,
  WebhookVerificationError,
  constantTimeEqual,
  isValidWebhook,
  verifyWebhook,
  type HeadersLike,
  type VerifyWebhookOptions,
  type WebhookScheme,
  type WebhookVerificationReason,
} from './verify-webhook.js';
export type { WebhookEvent, EventName } from '../api-types.js';
