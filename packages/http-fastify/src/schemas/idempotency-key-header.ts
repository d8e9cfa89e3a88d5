/*
 * The `Idempotency-Key` header of sending a message, checked with core's schema (the send body's schemas
 * are core's too: `@whatisup/core/messages`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { IdempotencyKeySchema } from '@whatisup/core';
import * as v from 'valibot';
import { ApiError } from '../lib/api-error.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * The `Idempotency-Key` header, or null when absent. The router validates params, query and body only, so
 * the header is checked here, answering 400 `invalid_input` in the same shape as a schema failure.
 */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string | null {
  const value = headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) return null;
  const result = v.safeParse(IdempotencyKeySchema, value);
  if (result.success) return result.output;
  const message = result.issues[0]?.message ?? 'Invalid value.';
  throw new ApiError(400, 'invalid_input', `Invalid request: header Idempotency-Key: ${message}`, {
    issues: [{ in: 'header', path: 'Idempotency-Key', message }],
  });
}
