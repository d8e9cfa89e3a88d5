import * as v from 'valibot';
import { DomainError } from './errors.js';

/**
 * `input` checked against `schema`, or a DomainError `invalid_input` naming the first issue: its dotted
 * `field` (prefixed by `prefix` when given) and the schema's message. Use cases validate with the schemas
 * the HTTP edge documents, so a caller that skips the edge meets the same rules.
 */
export function parseWithSchema<S extends v.GenericSchema>(schema: S, input: unknown, prefix?: string): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = [prefix, v.getDotPath(issue)].filter((part) => part !== undefined && part !== null && part !== '').join('.');
  const field = path === '' ? (prefix ?? 'input') : path;
  const message = issue.kind === 'schema' && issue.received === 'undefined' && issue.path !== undefined ? 'Required.' : issue.message;
  throw new DomainError('invalid_input', `${field}: ${message}`, { field });
}
