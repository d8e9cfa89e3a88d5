import { InMemorySpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { inSpan, noTracing } from '@whatisup/core';
import { describe, expect, it } from 'vitest';
import { createTelemetry } from './create-telemetry.js';

const off = { tracing: { tracesEndpoint: null, serviceName: 'whatisup' } };

describe('createTelemetry', () => {
  it('creates no exporter and traces nothing when no OTLP endpoint is configured', async () => {
    const telemetry = createTelemetry(off, { role: 'all' });
    expect(telemetry.exporter).toBeNull();
    expect(telemetry.tracing).toBe(noTracing);
    expect(await inSpan(telemetry.tracing, 'work', {}, async () => telemetry.tracing.activeTraceparent())).toBeNull();
    await telemetry.shutdown();
  });

  it('creates an OTLP exporter for the configured endpoint', async () => {
    const telemetry = createTelemetry({ tracing: { tracesEndpoint: 'http://127.0.0.1:1/v1/traces', serviceName: 'whatisup' } }, { role: 'worker' });
    expect(telemetry.exporter?.constructor.name).toBe('OTLPTraceExporter');
    await telemetry.shutdown();
  });

  it('exports spans whose parents follow the active span and a carried traceparent', async () => {
    const memory = new InMemorySpanExporter();
    // Shutting down an InMemorySpanExporter forgets its spans: keep them past the provider's shutdown.
    const exporter: SpanExporter = { export: (spans, done) => memory.export(spans, done), shutdown: async () => {} };
    const { tracing, shutdown } = createTelemetry({ tracing: { tracesEndpoint: null, serviceName: 'whatisup-test' } }, { role: 'api', exporter });
    let carried: string | null = null;
    await inSpan(tracing, 'POST /v1/things', { kind: 'server' }, async () => {
      await inSpan(tracing, 'inner', {}, async () => {
        carried = tracing.activeTraceparent();
      });
    });
    await inSpan(tracing, 'process things', { kind: 'consumer', parent: carried }, async () => {
      await Promise.reject(Object.assign(new Error('boom'), { code: 'not_found' })).catch(() => undefined);
    });
    await expect(inSpan(tracing, 'failing', { parent: null }, async () => Promise.reject(new TypeError('x')))).rejects.toThrow('x');
    await shutdown();

    const spans = memory.getFinishedSpans();
    const byName = (name: string) => spans.find((span) => span.name === name)!;
    const [server, inner, consumer, failing] = ['POST /v1/things', 'inner', 'process things', 'failing'].map(byName);
    expect(inner!.spanContext().traceId).toBe(server!.spanContext().traceId);
    expect(inner!.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    expect(consumer!.spanContext().traceId).toBe(server!.spanContext().traceId);
    expect(consumer!.parentSpanContext?.spanId).toBe(inner!.spanContext().spanId);
    expect(carried).toBe(`00-${inner!.spanContext().traceId}-${inner!.spanContext().spanId}-01`);
    expect(failing!.spanContext().traceId).not.toBe(server!.spanContext().traceId);
    expect(failing!.attributes['error.type']).toBe('TypeError');
    expect(server!.resource.attributes).toMatchObject({ 'service.name': 'whatisup-test', 'whatisup.role': 'api' });
  });
});
