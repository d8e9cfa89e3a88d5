/*
 * The core's Tracing port on OpenTelemetry: spans from a Tracer, the active span carried by an
 * AsyncLocalStorage context manager, and trace context as W3C `traceparent` strings. It uses the tracer
 * and context manager it is given, never OpenTelemetry's process-wide globals, so two of them (two roles
 * in one test process) do not mix.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Attributes,
  type Context,
  type ContextManager,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { SpanAttributes, SpanKind as CoreSpanKind, SpanOptions, TraceSpan, Tracing } from '@whatisup/core';

const KINDS: Readonly<Record<CoreSpanKind, SpanKind>> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

function attributesOf(attributes: SpanAttributes | undefined): Attributes {
  const defined: Attributes = {};
  for (const [key, value] of Object.entries(attributes ?? {})) if (value !== undefined) defined[key] = value;
  return defined;
}

export function createOtelTracing(tracer: Tracer, contextManager: ContextManager): Tracing {
  const propagator = new W3CTraceContextPropagator();

  function parentContext(parent: SpanOptions['parent']): Context {
    if (parent === undefined) return contextManager.active();
    if (parent === null) return ROOT_CONTEXT;
    return propagator.extract(ROOT_CONTEXT, { traceparent: parent }, defaultTextMapGetter);
  }

  return {
    startSpan(name, options = {}): TraceSpan {
      const parent = parentContext(options.parent);
      const span = tracer.startSpan(name, { kind: KINDS[options.kind ?? 'internal'], attributes: attributesOf(options.attributes) }, parent);
      const active = trace.setSpan(parent, span);
      let ended = false;
      return {
        setAttributes: (attributes) => void span.setAttributes(attributesOf(attributes)),
        fail(type) {
          span.setAttribute('error.type', type);
          span.setStatus({ code: SpanStatusCode.ERROR });
        },
        run: (fn) => contextManager.with(active, fn),
        end() {
          if (ended) return;
          ended = true;
          span.end();
        },
      };
    },
    activeTraceparent() {
      const carrier: Record<string, string> = {};
      propagator.inject(contextManager.active(), carrier, defaultTextMapSetter);
      return carrier['traceparent'] ?? null;
    },
  };
}
