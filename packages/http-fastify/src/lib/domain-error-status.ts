import type { DomainErrorCode } from '@whatisup/core';

/**
 * The one place a core error code becomes an HTTP status. `satisfies` makes a code added to core without a
 * status here fail the build.
 *
 * Choices worth knowing: another customer's resource is `not_found` (404), never 403; a state conflict
 * (`conflict`, `not_connected`, an illegal lifecycle step, no QR to show) is 409; a reused idempotency key
 * with a different request is 422 (IETF idempotency-key draft); a refused webhook URL is 422 (well-formed,
 * but not acceptable); an expired media link is 410; media that is not what it must be (a group picture that is not an image) is 422; WhatsApp not answering a live lookup in time is 504.
 */
export const DOMAIN_ERROR_STATUS = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_conflict: 409,
  invalid_lifecycle_transition: 409,
  not_connected: 409,
  no_qr: 409,
  unsafe_url: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  gone: 410,
  media_expired: 410,
  rate_limited: 429,
  limit_exceeded: 422,
  worker_at_capacity: 503,
  unavailable: 503,
  upstream_timeout: 504,
  edit_window_passed: 409,
  invalid_media: 422,
} as const satisfies Record<DomainErrorCode, number>;
