/*
 * A JobQueue that carries trace context through the queue, following OpenTelemetry's messaging conventions:
 * enqueueing inside a traced span is a `publish <queue>` producer span whose context rides in each job's
 * data (`traceparent`), and every run of a job is a `process <queue>` consumer span continuing that context,
 * so the work a job does (a send, a webhook attempt) lands in the trace that asked for it. A job that
 * already carries a context (a delivery re-driven from its row) keeps it. Outside any span (a sweep) no
 * producer span is made. With `noTracing` this adds nothing but a function call.
 */
import type { JobQueue } from './job-queue.js';
import { inSpan, TRACEPARENT_JOB_DATA, type SpanAttributes, type Tracing } from './tracing.js';

export interface TraceJobQueueOptions {
  /** The queue's name, as spans name it (`process webhook-deliveries`). */
  readonly name: string;
  /** Added to every span (e.g. `messaging.system`). */
  readonly attributes?: SpanAttributes;
}

export function traceJobQueue(queue: JobQueue, tracing: Tracing, { name, attributes }: TraceJobQueueOptions): JobQueue {
  const common = { 'messaging.destination.name': name, ...attributes };
  return {
    enqueue(jobs) {
      if (tracing.activeTraceparent() === null) return queue.enqueue(jobs);
      const publish = { ...common, 'messaging.operation.type': 'send', 'messaging.batch.message_count': jobs.length };
      return inSpan(tracing, `publish ${name}`, { kind: 'producer', attributes: publish }, async () => {
        const traceparent = tracing.activeTraceparent();
        return queue.enqueue(
          jobs.map((job) =>
            traceparent === null || job.data?.[TRACEPARENT_JOB_DATA] !== undefined
              ? job
              : { ...job, data: { ...job.data, [TRACEPARENT_JOB_DATA]: traceparent } },
          ),
        );
      });
    },
    isHeld: (id) => queue.isHeld(id),
    startWorker(handler, options) {
      return queue.startWorker(async (job) => {
        const process = { ...common, 'messaging.operation.type': 'process', 'messaging.message.id': job.id, 'whatisup.job.attempt': job.attempt };
        const parent = job.data[TRACEPARENT_JOB_DATA] ?? null;
        return inSpan(tracing, `process ${name}`, { kind: 'consumer', parent, attributes: process }, async (span) => {
          const outcome = await handler(job);
          if (outcome) span.setAttributes({ 'whatisup.job.defer_ms': outcome.deferMs });
          return outcome;
        });
      }, options);
    },
    close: () => queue.close(),
  };
}
