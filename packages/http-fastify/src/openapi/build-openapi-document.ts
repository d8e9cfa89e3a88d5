import type { JsonSchema } from '@valibot/to-json-schema';
import { API_VERSION, EVENT_NAMES, EVENT_PAYLOAD_SCHEMAS } from '@whatisup/core';
import { STATUS_CODES } from 'node:http';
import type { AnyRouteSpec } from '../lib/create-router.js';
import type { AnySchema } from '../lib/route-spec.js';
import { ErrorEnvelopeSchema } from '../schemas/common-schemas.js';
import type { OpenApiDocument, OpenApiOperation, OpenApiParameter, OpenApiResponse } from './openapi-document.js';
import { toOpenApiSchema } from './to-openapi-schema.js';

export interface ApiInfo {
  readonly title: string;
  /**
   * The server's own build version, shown as `info.x-server-version`. `info.version` is the API contract's
   * version, `API_VERSION` (the `api_version` every event carries), so the two can never disagree.
   */
  readonly version?: string;
  readonly description?: string;
  /** Base URL integrators call, e.g. `https://wa.example.com`; the document's server. */
  readonly publicUrl?: string;
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };
const SECURITY_SCHEME = 'bearerAuth';

/** The OpenAPI 3.0 document of `routes`, generated from the same schemas the routes validate with. */
export function buildOpenApiDocument(routes: readonly AnyRouteSpec[], info: ApiInfo): OpenApiDocument {
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  const tags = new Set<string>();
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: toOperation(route) };
    route.tags.forEach((tag) => tags.add(tag));
  }
  return {
    openapi: '3.0.3',
    info: {
      title: info.title,
      version: API_VERSION,
      ...(info.version === undefined ? {} : { 'x-server-version': info.version }),
      ...(info.description === undefined ? {} : { description: info.description }),
    },
    servers: [{ url: info.publicUrl ?? '/' }],
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key: `Authorization: Bearer wiu_...`. Keys are created with the CLI or the API.',
        },
      },
      schemas: { Error: toOpenApiSchema(ErrorEnvelopeSchema), ...eventDataSchemas() },
    },
  };
}

/**
 * The `data` of each event (webhooks and the event stream), as `EventData.<event name>`: no route returns
 * them, so they are listed as components for receivers to generate types from.
 */
function eventDataSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(EVENT_NAMES.map((name) => [`EventData.${name}`, toOpenApiSchema(EVENT_PAYLOAD_SCHEMAS[name])]));
}

function toOperation(route: AnyRouteSpec): OpenApiOperation {
  const body = route.body as AnySchema | undefined;
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: route.tags,
    security: route.public === true ? [] : [{ [SECURITY_SCHEME]: [] }],
    parameters: [...toParameters(route.params, 'path'), ...toParameters(route.query, 'query')],
    ...(body === undefined
      ? {}
      : { requestBody: { required: true, content: { 'application/json': { schema: toOpenApiSchema(body) } } } }),
    responses: toResponses(route),
  };
}

function toParameters(schema: AnySchema | undefined, location: 'path' | 'query'): OpenApiParameter[] {
  if (schema === undefined) return [];
  const object = toOpenApiSchema(schema);
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as JsonSchema;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

function toResponses(route: AnyRouteSpec): Record<string, OpenApiResponse> {
  const { status, description, schema, contentType } = route.response as {
    status: number;
    description: string;
    schema?: AnySchema;
    contentType?: string;
  };
  const success: OpenApiResponse =
    contentType !== undefined
      ? { description, content: { [contentType]: { schema: { type: 'string' } } } }
      : schema === undefined
        ? { description }
        : { description, content: json(toOpenApiSchema(schema)) };
  const responses: Record<string, OpenApiResponse> = { [status]: success };
  if (contentType === 'text/html') {
    // A page answers its own failures with a page; only an unexpected failure is the JSON envelope.
    for (const code of route.errors ?? []) {
      responses[code] = { description: `${STATUS_CODES[code] ?? 'Error'}: an HTML page saying what is wrong.`, content: { 'text/html': { schema: { type: 'string' } } } };
    }
    responses[500] = { description: STATUS_CODES[500]!, content: json(ERROR_REF) };
    return responses;
  }
  const errors = new Set<number>(route.errors ?? []);
  if (route.params || route.query || route.body) errors.add(400);
  if (route.body) [413, 415].forEach((code) => errors.add(code));
  if (route.public !== true) errors.add(401);
  errors.add(500);
  for (const code of [...errors].sort()) {
    responses[code] = { description: STATUS_CODES[code] ?? 'Error', content: json(ERROR_REF) };
  }
  return responses;
}

const json = (schema: JsonSchema | { $ref: string }) => ({ 'application/json': { schema } }) as const;
