import { toJsonSchema, type JsonSchema, type OverrideSchemaContext } from '@valibot/to-json-schema';
import type { AnySchema } from '../lib/route-spec.js';
import { documentedSchema } from './documented-as.js';

/**
 * A valibot schema as an OpenAPI 3.0 schema object. Requests are described by their input type (what the
 * caller sends, before any conversion); a schema marked with `documentedAs` is shown as its mark.
 */
export function toOpenApiSchema(schema: AnySchema): JsonSchema {
  return tidy(
    toJsonSchema(schema, {
      target: 'openapi-3.0',
      typeMode: 'input',
      // Normalisations and custom checks have no JSON Schema form; they do not change what a caller may send.
      ignoreActions: ['trim', 'check'],
      overrideSchema: openApiOverride,
    }),
  );
}

function openApiOverride(context: OverrideSchemaContext): JsonSchema | undefined {
  return documentedSchema(context.valibotSchema);
}

/** OpenAPI 3.0 wants a non-empty `required` when present, and `example` rather than `examples`. */
function tidy(schema: JsonSchema): JsonSchema {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required' && Array.isArray(value) && value.length === 0) continue;
    if (key === 'examples' && Array.isArray(value)) out['example'] = value[0];
    else if (key === 'properties' && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, tidy(child as JsonSchema)]));
    } else if (Array.isArray(value)) {
      out[key] = value.map((item) => (isSchema(item) ? tidy(item) : item));
    } else out[key] = isSchema(value) ? tidy(value) : value;
  }
  return out as JsonSchema;
}

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
