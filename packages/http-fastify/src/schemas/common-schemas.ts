import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '@whatisup/core';
import * as v from 'valibot';
import { documentedAs } from '../openapi/documented-as.js';

export { Timestamp, NullableTimestamp, namesARealDay, timestampInput, idSchema } from '@whatisup/core';

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
