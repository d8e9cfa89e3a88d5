import type { Principal } from '@whatisup/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { parseInput } from './parse-input.js';
import type { AnySchema, RouteSpec } from './route-spec.js';

// Specs differ in their schema types; the router only needs what every spec shares, hence `any`.
export type AnyRouteSpec = RouteSpec<any, any, any, any>;

export interface Router {
  /** Registers the route with Fastify and records it for the OpenAPI document. */
  route(spec: AnyRouteSpec): void;
  /** Every route registered so far, in registration order. */
  routes(): readonly AnyRouteSpec[];
}

export interface RouterOptions {
  /**
   * Check every response body against its schema and fail with a 500 when a mapper drifts from the
   * documented shape. Meant for tests and development: it costs a parse per response.
   */
  readonly validateResponses: boolean;
}

export function createRouter(app: FastifyInstance, options: RouterOptions): Router {
  const registered: AnyRouteSpec[] = [];

  async function handle(spec: AnyRouteSpec, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const input = parseInput(
      { params: spec.params, query: spec.query, body: spec.body },
      { params: request.params, query: request.query, body: request.body },
      { strictQuery: spec.response.contentType !== 'text/html' },
    );
    const context = {
      ...input,
      request,
      reply,
      get principal(): Principal {
        if (request.principal === null) throw new Error(`Route ${spec.operationId} read the principal of a public request.`);
        return request.principal;
      },
    };
    const result: unknown = await spec.handler(context);
    // A handler that took over the response (an SSE stream hijacks it) has nothing more to send.
    if (reply.sent) return reply;
    reply.code(spec.response.status);
    const schema = spec.response.schema as AnySchema | undefined;
    if (schema === undefined) return reply.send();
    if (options.validateResponses) assertResponse(spec, schema, result);
    return reply.send(result);
  }

  return {
    route(spec) {
      registered.push(spec);
      app.route({
        method: spec.method,
        url: spec.url,
        config: { public: spec.public === true },
        handler: (request, reply) => handle(spec, request, reply),
      });
    },
    routes: () => registered,
  };
}

function assertResponse(spec: AnyRouteSpec, schema: AnySchema, body: unknown): void {
  const result = v.safeParse(schema, body);
  if (!result.success) {
    const issues = result.issues.map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
    throw new Error(`Response of ${spec.operationId} does not match its schema: ${issues.join('; ')}`);
  }
}
