import type { Tracing } from '@whatisup/core';

/** `trace_id` of the active span, for log lines (empty when nothing is traced), so a log line leads to its trace. */
export function traceLogFields(tracing: Pick<Tracing, 'activeTraceparent'>): { trace_id?: string } {
  const traceId = tracing.activeTraceparent()?.split('-')[1];
  return traceId === undefined ? {} : { trace_id: traceId };
}
