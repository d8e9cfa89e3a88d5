/*
 * What a request is about, said once and carried by everything it does: its log lines (through a child of
 * `request.log`) and its trace span. The request id comes from Fastify's log label; `annotateRequest` adds
 * `customer_id` (authentication) and the ids a route names in its path or body (`instance_id`,
 * `message_id`, `delivery_id`, `endpoint_id`, `key_id`), so a grep for one id finds every line about it;
 * when the request is traced, its `trace_id` too.
 *
 * The span follows OpenTelemetry's HTTP server conventions: `{method} {route}` (the template, never the
 * path, which can hold a media token), status code, `error.type` on a 5xx. A request starts a new trace:
 * a `traceparent` sent by a caller is not trusted. The span is made active for the handler (preHandler),
 * so the spans and trace contexts the use cases take are its children, and ends when the response closes
 * (an event stream's span lasts as long as the stream).
 */
import { noTracing, type SpanAttributes, type TraceSpan, type Tracing } from '@whatisup/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import '../lib/fastify-augmentation.js';

/** Route parameter `:id` under these prefixes names this kind of resource. */
const ID_PARAM_FIELD: ReadonlyArray<readonly [string, string]> = [
  ['/v1/instances/:id', 'instance_id'],
  ['/v1/messages/:id', 'message_id'],
  ['/v1/webhook-deliveries/:id', 'delivery_id'],
  ['/v1/webhook-endpoints/:id', 'endpoint_id'],
  ['/v1/api-keys/:id', 'key_id'],
];

/** Adds `fields` to every later log line of the request and to its span (as `whatisup.<name>`). */
export function annotateRequest(request: FastifyRequest, fields: Readonly<Record<string, string>>): void {
  request.log = request.log.child(fields);
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) attributes[`whatisup.${name.replace(/_id$/, '.id')}`] = value;
  request.traceSpan?.setAttributes(attributes);
}

function idsNamedBy(request: FastifyRequest): Record<string, string> {
  const fields: Record<string, string> = {};
  const route = request.routeOptions.url ?? '';
  const id = (request.params as { id?: unknown } | undefined)?.id;
  const match = ID_PARAM_FIELD.find(([prefix]) => route === prefix || route.startsWith(`${prefix}/`));
  if (match !== undefined && typeof id === 'string') fields[match[1]] = id;
  const bodyInstance = (request.body as { instance_id?: unknown } | undefined)?.instance_id;
  if (fields['instance_id'] === undefined && typeof bodyInstance === 'string') fields['instance_id'] = bodyInstance;
  return fields;
}

export function installRequestContext(app: FastifyInstance, tracing: Tracing = noTracing): void {
  app.decorateRequest('traceSpan', null);
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    const attributes: SpanAttributes = {
      'http.request.method': request.method,
      'url.scheme': request.protocol,
      'whatisup.request.id': request.id,
      ...(route === undefined || request.is404 ? {} : { 'http.route': route }),
    };
    const name = route === undefined || request.is404 ? request.method : `${request.method} ${route}`;
    const span: TraceSpan = tracing.startSpan(name, { kind: 'server', parent: null, attributes });
    request.traceSpan = span;
    // The trace of the request on each of its log lines, so a line leads to its trace (null: not traced).
    const traceId = span.run(() => tracing.activeTraceparent())?.split('-')[1];
    if (traceId !== undefined) request.log = request.log.child({ trace_id: traceId });
    reply.raw.once('close', () => {
      const status = reply.statusCode;
      span.setAttributes({ 'http.response.status_code': status });
      if (status >= 500) span.fail(String(status));
      span.end();
    });
  });
  app.addHook('preHandler', (request, _reply, done) => {
    const fields = idsNamedBy(request);
    if (Object.keys(fields).length > 0) annotateRequest(request, fields);
    const span = request.traceSpan;
    if (span === null) done();
    else span.run(done);
  });
}
