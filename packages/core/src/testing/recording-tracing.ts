/*
 * A Tracing that keeps every span in memory with its ids and parent, for tests that check what a use case
 * traces. It propagates the active span with AsyncLocalStorage, as the OpenTelemetry adapter does.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { SpanAttributes, SpanKind, SpanOptions, TraceSpan, Tracing } from '../shared/index.js';

export interface RecordedSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly attributes: Record<string, string | number | boolean>;
  error: string | null;
  ended: boolean;
}

export interface RecordingTracing extends Tracing {
  /** Every span started, in start order. */
  readonly spans: RecordedSpan[];
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

export const traceparentOf = (span: Pick<RecordedSpan, 'traceId' | 'spanId'>): string => `00-${span.traceId}-${span.spanId}-01`;

export function createRecordingTracing(): RecordingTracing {
  const active = new AsyncLocalStorage<RecordedSpan>();
  const spans: RecordedSpan[] = [];

  function parentOf(options: SpanOptions): { traceId: string; spanId: string } | null {
    if (options.parent === null) return null;
    if (options.parent === undefined) return active.getStore() ?? null;
    const match = TRACEPARENT.exec(options.parent);
    return match === null ? null : { traceId: match[1]!, spanId: match[2]! };
  }

  const addAttributes = (span: RecordedSpan, attributes: SpanAttributes | undefined) => {
    for (const [key, value] of Object.entries(attributes ?? {})) if (value !== undefined) span.attributes[key] = value;
  };

  return {
    spans,
    startSpan(name, options = {}): TraceSpan {
      const parent = parentOf(options);
      const span: RecordedSpan = {
        name,
        kind: options.kind ?? 'internal',
        traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
        parentSpanId: parent?.spanId ?? null,
        attributes: {},
        error: null,
        ended: false,
      };
      addAttributes(span, options.attributes);
      spans.push(span);
      return {
        setAttributes: (attributes) => addAttributes(span, attributes),
        fail: (type) => {
          span.error = type;
        },
        run: (fn) => active.run(span, fn),
        end: () => {
          span.ended = true;
        },
      };
    },
    activeTraceparent() {
      const span = active.getStore();
      return span === undefined ? null : traceparentOf(span);
    },
  };
}
