/*
 * Tracing for a role: OpenTelemetry when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), otherwise the core's `noTracing`, which creates no SDK, no exporter
 * and no context manager, so a server without a collector pays nothing. Spans are batched and sent as
 * OTLP/HTTP JSON; `shutdown` flushes what is left (the last step of a role's stop).
 *
 * The OpenTelemetry SDK also reads its other standard variables itself (OTEL_TRACES_SAMPLER,
 * OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_SCHEDULE_DELAY, ...); see docs/operations.md.
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { noTracing, type Tracing } from '@whatisup/core';
import type { CommonConfig } from '../config/common-config.js';
import { createOtelTracing } from './otel-tracing.js';

export interface Telemetry {
  readonly tracing: Tracing;
  /** The exporter spans go to; null when tracing is off. */
  readonly exporter: SpanExporter | null;
  /** Exports what is buffered and stops; a no-op when tracing is off. */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  /** Which role this process runs (`all`, `api`, `worker`), as the resource attribute `whatisup.role`. */
  readonly role: string;
  /** Where spans go instead of the OTLP endpoint (tests); turns tracing on by itself. */
  readonly exporter?: SpanExporter;
}

export function createTelemetry(config: Pick<CommonConfig, 'tracing'>, options: TelemetryOptions): Telemetry {
  const endpoint = config.tracing.tracesEndpoint;
  if (endpoint === null && options.exporter === undefined) {
    return { tracing: noTracing, exporter: null, shutdown: async () => {} };
  }
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: endpoint! });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.tracing.serviceName, 'whatisup.role': options.role }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const tracing = createOtelTracing(provider.getTracer('whatisup'), contextManager);
  return {
    tracing,
    exporter,
    async shutdown() {
      await provider.shutdown();
      contextManager.disable();
    },
  };
}
