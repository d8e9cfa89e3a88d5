import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '@whatisup/core';
import * as v from 'valibot';
import { documentedAs } from '../openapi/documented-as.js';

/** ISO-8601 UTC time, as `Date.prototype.toISOString` writes it. */
export const Timestamp = v.pipe(v.string(), v.isoTimestamp(), v.metadata({ format: 'date-time' }));

/** The ISO regex accepts 2026-02-30 and Date rolls it over to March; a time that names no real day is refused. */
export function namesARealDay(text: string): boolean {
  const [year = NaN, month = NaN, day = NaN] = text.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An ISO-8601 time given by a caller, parsed to a Date; impossible calendar days are refused. */
export const timestampInput = (message = 'must be an ISO-8601 time with a time zone, e.g. 2026-05-01T12:00:00Z') =>
  v.pipe(
    v.string(),
    v.isoTimestamp(message),
    v.metadata({ format: 'date-time' }),
    v.check(namesARealDay, message),
    v.transform((text) => new Date(text)),
  );
export const NullableTimestamp = v.nullable(Timestamp);

/** A prefixed id (`inst_...`); the shape only, ownership is the use case's business. */
export const idSchema = (prefix: string, description: string) =>
  v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description(description), v.metadata({ example: `${prefix}_01J...` }));

export const IdParams = v.object({ id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) });

/** A cursor is the id of an item (`<prefix>_` and 26 Crockford base32 characters). */
const CURSOR = /^[a-z]{2,5}_[0-9A-HJKMNP-TV-Z]{26}$/;

const limitMessage = `Expected an integer from 1 to ${MAX_PAGE_LIMIT}.`;

/** `limit` and `cursor` of every list. Query values arrive as strings: `limit` is converted, then checked. */
export const pageQueryEntries = {
  limit: v.optional(
    v.pipe(
      documentedAs(v.string(), {
        type: 'integer',
        minimum: 1,
        maximum: MAX_PAGE_LIMIT,
        default: DEFAULT_PAGE_LIMIT,
        description: `Page size, 1 to ${MAX_PAGE_LIMIT}.`,
      }),
      // Number() would also read "1e2", "0x10" and " 7 ": only plain digits are a limit.
      v.regex(/^\d{1,3}$/, limitMessage),
      v.transform(Number),
      v.integer(limitMessage),
      v.minValue(1, limitMessage),
      v.maxValue(MAX_PAGE_LIMIT, limitMessage),
    ),
  ),
  cursor: v.optional(
    v.pipe(
      v.string(),
      v.regex(CURSOR, 'Expected the next_cursor of a previous page.'),
      v.description('The `next_cursor` of the previous page; absent for the first page.'),
    ),
  ),
};

export const PageQuery = v.object(pageQueryEntries);

/** `{"data":[...],"next_cursor":...}`, newest first. */
export const pageOf = <S extends v.GenericSchema>(item: S) =>
  v.object({
    data: v.array(item),
    next_cursor: v.pipe(
      v.nullable(v.string()),
      v.description('Pass as `cursor` to get the next page; null on the last page.'),
    ),
  });

export const ErrorEnvelopeSchema = v.object({
  error: v.object({
    code: v.pipe(v.string(), v.description('Stable, machine-readable code, e.g. `not_found`.')),
    message: v.pipe(v.string(), v.description('Human-readable; may change.')),
    details: v.pipe(
      v.record(v.string(), v.unknown()),
      v.description('Structured context, e.g. `issues: [{in, path, message}]` for `invalid_input`.'),
    ),
  }),
  request_id: v.pipe(v.string(), v.description('Also in the `X-Request-Id` header; quote it when asking for help.')),
});
