/*
 * A JSON value on its way into a jsonb column. Stored JSON is parsed and serialised again on every read
 * (the API answer, a webhook payload), and JSON.stringify recurses: a value nested a few thousand levels
 * deep overflows the stack there, long after it was accepted. The edge bounds request bodies; this is the
 * last line for anything that reaches a repository another way: too deep is `invalid_input`, never a 500
 * now or later. The depth is measured without recursion, so measuring cannot overflow either.
 */
import { DomainError } from '@whatisup/core';

/** Objects and arrays nested deeper than this are refused. Far beyond any real metadata or message. */
export const MAX_STORED_JSON_DEPTH = 64;

/** The value as JSON text for a jsonb parameter. Throws `invalid_input` (naming `field`) when too deep. */
export function jsonParameter(value: unknown, field: string): string {
  if (jsonDepth(value, MAX_STORED_JSON_DEPTH) > MAX_STORED_JSON_DEPTH) {
    throw new DomainError('invalid_input', `${field} is nested deeper than ${MAX_STORED_JSON_DEPTH} levels.`, {
      field,
      max_depth: MAX_STORED_JSON_DEPTH,
    });
  }
  return JSON.stringify(value);
}

/** The nesting depth of objects and arrays (a scalar is 0), counted up to `limit + 1` and no further. */
function jsonDepth(root: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<readonly [unknown, number]> = [[root, 0]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Object.values(value)) if (child !== null && typeof child === 'object') pending.push([child, level]);
  }
  return deepest;
}
