import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type PageRequest } from './pagination.js';
import { DomainError } from './errors.js';

/** What a caller may pass to a list use case; both fields optional. */
export interface PageInput {
  readonly limit?: number | undefined;
  readonly cursor?: string | null | undefined;
}

/**
 * Turns a caller's page input into a repository page request: `limit` defaults to 20 and must be an
 * integer in 1..100 (`DomainError('invalid_input')` otherwise). The edge validates too; this guards the
 * invariant for every other caller (CLI, tests).
 */
export function toPageRequest(input: PageInput = {}): PageRequest {
  const limit = input.limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new DomainError('invalid_input', `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}.`, {
      field: 'limit',
    });
  }
  return { limit, cursor: input.cursor ?? null };
}
