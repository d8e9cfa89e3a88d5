/*
 * Tracing as the core sees it: spans with a name, a kind and a few attributes, and the active trace context
 * as a W3C `traceparent` string, which is what crosses a queue or a table (job data, message and delivery
 * rows) so one trace can follow a message from the request that accepted it to each webhook attempt.
 * Sampling, ids and export belong to the adapter (OpenTelemetry in the server); the core depends on no
 * tracing library. `noTracing` is the default everywhere: it allocates nothing and records nothing.
 *
 * Attributes name things (ids, event names, status codes), never a message body, a URL's query or a secret.
 */

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export type SpanAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

export interface SpanOptions {
  readonly kind?: SpanKind;
  /**
   * The parent, as a W3C `traceparent`. Absent: the active span (if any). A string: that context, whatever
   * is active (a queue job continuing the trace that made it). Null: a new trace, whatever is active (work
   * that starts on its own, like an inbound WhatsApp message on a socket a past request opened).
   */
  readonly parent?: string | null;
  readonly attributes?: SpanAttributes;
}

export interface TraceSpan {
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span failed with `error.type` = `type` (an error code or class name, never a message body). */
  fail(type: string): void;
  /** Runs `fn` with this span active: spans started and contexts taken inside are its children. */
  run<T>(fn: () => T): T;
  /** Ends the span; later calls are ignored. */
  end(): void;
}

export interface Tracing {
  startSpan(name: string, options?: SpanOptions): TraceSpan;
  /** The active span's context as a W3C `traceparent`, or null when nothing is traced. */
  activeTraceparent(): string | null;
}

const noSpan: TraceSpan = {
  setAttributes() {},
  fail() {},
  run: (fn) => fn(),
  end() {},
};

/** Tracing switched off. */
export const noTracing: Tracing = {
  startSpan: () => noSpan,
  activeTraceparent: () => null,
};

/** The `error.type` of a thrown value: a domain error's code, else the error's class name. */
export function errorTypeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return 'Error';
}

/** Runs `fn` in a new active span and ends it; a throw marks it failed (errorTypeOf) and is rethrown. */
export async function inSpan<T>(
  tracing: Tracing,
  name: string,
  options: SpanOptions,
  fn: (span: TraceSpan) => Promise<T>,
): Promise<T> {
  const span = tracing.startSpan(name, options);
  try {
    return await span.run(() => fn(span));
  } catch (error) {
    span.fail(errorTypeOf(error));
    throw error;
  } finally {
    span.end();
  }
}

/** The job data key that carries a job's trace context (see traceJobQueue). */
export const TRACEPARENT_JOB_DATA = 'traceparent';
