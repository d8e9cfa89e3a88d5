/*
 * The one error type core throws. Its code is a closed union: the HTTP edge maps every code to a status
 * in a table typed `satisfies Record<DomainErrorCode, ...>`, so adding a code without mapping it fails
 * the build. Messages are safe to show to the API caller; never put secrets or SQL in them.
 */
export const DOMAIN_ERROR_CODES = [
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'idempotency_conflict',
  'invalid_lifecycle_transition',
  'not_connected',
  'no_qr',
  'unsafe_url',
  'payload_too_large',
  'unsupported_media_type',
  'gone',
  'media_expired',
  'rate_limited',
  'limit_exceeded',
  'worker_at_capacity',
  'unavailable',
  'upstream_timeout',
  'edit_window_passed',
  'invalid_media',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

export const notFound = (what: string, id: string): DomainError =>
  new DomainError('not_found', `No ${what} with id ${id}.`, { id });
