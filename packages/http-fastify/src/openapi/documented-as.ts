import type { JsonSchema } from '@valibot/to-json-schema';
import type { AnySchema } from '../lib/route-spec.js';

const OPENAPI = Symbol('openapi');

/**
 * Marks a schema the JSON Schema converter cannot describe (a custom check, a string parsed into a number)
 * with the OpenAPI schema to show for it. Pass a fresh schema: it is marked in place. Put it first in a
 * pipe: the converter describes a pipe by its first schema and the actions before any transformation.
 */
export function documentedAs<S extends AnySchema>(schema: S, openapi: JsonSchema): S {
  return Object.assign(schema, { [OPENAPI]: openapi });
}

/** The OpenAPI schema `documentedAs` attached, if any. */
export function documentedSchema(schema: unknown): JsonSchema | undefined {
  return (schema as { [OPENAPI]?: JsonSchema })[OPENAPI];
}
