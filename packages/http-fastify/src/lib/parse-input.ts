import * as v from 'valibot';
import { ApiError } from './api-error.js';
import type { AnySchema } from './route-spec.js';

export type InputLocation = 'params' | 'query' | 'body';

/** One reason a request was refused: where (`in` and a dotted `path`, empty for the whole part) and why. */
export interface InputIssue {
  readonly in: InputLocation;
  readonly path: string;
  readonly message: string;
}

export interface RequestParts {
  readonly params?: unknown;
  readonly query?: unknown;
  readonly body?: unknown;
}

export type ParsedParts = Record<InputLocation, unknown>;

/**
 * Validates each declared part of a request with its schema and returns the parsed values (defaults
 * applied, strings coerced where the schema says so). Every issue of every part is collected, so the
 * caller fixes all of them at once; any issue throws a 400 `invalid_input` with `details.issues`.
 */
export function parseInput(
  schemas: Partial<Record<InputLocation, AnySchema>>,
  parts: RequestParts,
  options: { readonly strictQuery?: boolean } = {},
): ParsedParts {
  const parsed: ParsedParts = { params: undefined, query: undefined, body: undefined };
  const issues: InputIssue[] = [];
  if (options.strictQuery !== false) issues.push(...queryShapeIssues(schemas.query, parts.query));
  for (const location of ['params', 'query', 'body'] as const) {
    const schema = schemas[location];
    if (schema === undefined) continue;
    if (location === 'query' && issues.some((issue) => issue.in === 'query')) continue;
    const result = v.safeParse(schema, parts[location]);
    if (result.success) {
      parsed[location] = result.output;
      continue;
    }
    for (const issue of result.issues) {
      issues.push({ in: location, path: v.getDotPath(issue) ?? '', message: describe(issue) });
    }
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    const where = first.path === '' ? first.in : `${first.in}.${first.path}`;
    throw new ApiError(400, 'invalid_input', `Invalid request: ${where}: ${first.message}`, { issues });
  }
  return parsed;
}

function describe(issue: v.BaseIssue<unknown>): string {
  // Valibot says "Invalid type: Expected string but received undefined" for a missing property.
  if (issue.kind === 'schema' && issue.received === 'undefined' && issue.path !== undefined) return 'Required.';
  // ... and "Invalid key: Expected never but received "txt"" for a field a strict object does not know.
  if (issue.kind === 'schema' && issue.type === 'strict_object' && issue.expected === 'never') {
    return `unknown field ${issue.received}`;
  }
  return issue.message;
}

/**
 * A query parameter the route does not declare is refused rather than ignored: a typo (`instance=`) or the
 * array forms some clients send (`instance_id[]=x`, `instance_id=a&instance_id=b`) would otherwise return
 * the whole unfiltered list as if the filter had matched everything.
 */
function queryShapeIssues(schema: AnySchema | undefined, query: unknown): InputIssue[] {
  if (typeof query !== 'object' || query === null) return [];
  const known = schema !== undefined && 'entries' in schema ? Object.keys(schema.entries as object) : [];
  const issues: InputIssue[] = [];
  for (const [name, value] of Object.entries(query)) {
    const base = name.endsWith('[]') ? name.slice(0, -2) : name;
    if (!known.includes(name)) {
      const hint = known.includes(base) ? ` (pass one value as ${base}=...)` : known.length > 0 ? ` (known: ${known.join(', ')})` : ' (this route takes none)';
      issues.push({ in: 'query', path: name, message: `unknown query parameter "${name}"${hint}` });
    } else if (Array.isArray(value)) {
      issues.push({ in: 'query', path: name, message: `given ${value.length} times; pass one value` });
    }
  }
  return issues;
}
