/*
 * A route is declared once, as data: its method and path, its valibot schemas for params, query, body and
 * response, and its handler. The router registers it with Fastify and validates with those schemas; the
 * OpenAPI document is generated from the same declarations, so the docs cannot drift from what runs.
 */
import type { Principal } from '@whatisup/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type * as v from 'valibot';

export type AnySchema = v.GenericSchema;
/** Params and query are objects whose properties become OpenAPI parameters. */
export type ObjectSchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type Output<S> = S extends AnySchema ? v.InferOutput<S> : undefined;
type Input<S> = S extends AnySchema ? v.InferInput<S> : undefined;

export interface RouteContext<P, Q, B> {
  readonly params: Output<P>;
  readonly query: Output<Q>;
  readonly body: Output<B>;
  /** The authenticated caller. Reading it on a public route is a programming error (500). */
  readonly principal: Principal;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RouteSpec<
  P extends ObjectSchema | undefined = ObjectSchema | undefined,
  Q extends ObjectSchema | undefined = ObjectSchema | undefined,
  B extends AnySchema | undefined = AnySchema | undefined,
  R extends AnySchema | undefined = AnySchema | undefined,
> {
  readonly method: HttpMethod;
  /** Fastify syntax: `/v1/instances/:id`. */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** Reachable without an API key. Routes are private unless they say so. */
  readonly public?: boolean;
  readonly params?: P;
  readonly query?: Q;
  /** Request bodies are JSON; unknown fields are the schema's call (use `v.strictObject` to reject them). */
  readonly body?: B;
  readonly response: {
    readonly status: number;
    readonly description: string;
    /** Absent: no body (e.g. 204). */
    readonly schema?: R;
    /**
     * A success body that is not JSON, sent by the handler itself: `text/event-stream` (errors stay JSON) or
     * `text/html` (a page: its errors are pages too, and query parameters it does not declare, such as the
     * tracking tags messengers add to shared links, are ignored rather than refused).
     */
    readonly contentType?: 'text/event-stream' | 'text/html';
  };
  /** Error statuses worth documenting beyond the ones every route can return. */
  readonly errors?: readonly number[];
  readonly handler: (context: RouteContext<P, Q, B>) => Promise<Input<R>>;
}

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends AnySchema | undefined = undefined,
  R extends AnySchema | undefined = undefined,
>(spec: RouteSpec<P, Q, B, R>): RouteSpec<P, Q, B, R> {
  return spec;
}
