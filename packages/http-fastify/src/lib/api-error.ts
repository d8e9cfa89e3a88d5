/**
 * An error the HTTP edge answers with as is: the status, a stable `code` and a caller-safe message. Core
 * throws `DomainError` (mapped in `domain-error-status.ts`); this type covers what only the edge knows about
 * (malformed JSON, schema failures, unknown routes, a missing key).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;
