/*
 * Schema pieces every feature's request and response schemas share: times and ids as the wire carries
 * them. The OpenAPI specifics (formats, examples) ride on the schemas as valibot metadata.
 */
import * as v from 'valibot';

/** ISO-8601 UTC time, as `Date.prototype.toISOString` writes it. */
export const Timestamp = v.pipe(v.string(), v.isoTimestamp(), v.metadata({ format: 'date-time' }));
export const NullableTimestamp = v.nullable(Timestamp);

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

/** A prefixed id (`inst_...`); the shape only, ownership is the use case's business. */
export const idSchema = (prefix: string, description: string) =>
  v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description(description), v.metadata({ example: `${prefix}_01J...` }));
