import { describe, expect, it } from 'vitest';
import { describeJobQueueContract } from '../testing/contracts/job-queue.contract.js';
import { createInMemoryJobQueue } from '../testing/in-memory-job-queue.js';
import { createRecordingTracing, traceparentOf } from '../testing/recording-tracing.js';
import type { Job } from './job-queue.js';
import { traceJobQueue } from './trace-job-queue.js';
import { noTracing } from './tracing.js';

/** A traced in-memory queue and a promise of the first `count` jobs its worker runs. */
function tracedQueue(count: number) {
  const tracing = createRecordingTracing();
  const queue = traceJobQueue(createInMemoryJobQueue(), tracing, { name: 'work', attributes: { 'messaging.system': 'test' } });
  const seen: Job[] = [];
  const ran = new Promise<Job[]>((resolve) => {
    queue.startWorker(async (job) => {
      seen.push(job);
      if (seen.length === count) resolve(seen);
    }, { concurrency: 1 });
  });
  return { tracing, queue, ran };
}

// The decorator keeps every promise of the port (jobs enqueued outside a span pass through unchanged).
describeJobQueueContract('traced in-memory', async (options) =>
  traceJobQueue(createInMemoryJobQueue(options), createRecordingTracing(), { name: 'contract' }),
);

describe('traceJobQueue', () => {
  it('runs a job enqueued inside a span as a consumer span under a producer span of that trace', async () => {
    const { tracing, queue, ran } = tracedQueue(1);
    const request = tracing.startSpan('POST /things', { kind: 'server' });
    await request.run(() => queue.enqueue([{ id: 'a', data: { host: 'example.com' } }]));
    request.end();
    const [job] = await ran;
    await queue.close();

    const [server, publish, process] = tracing.spans;
    expect(publish).toMatchObject({ name: 'publish work', kind: 'producer', traceId: server!.traceId, parentSpanId: server!.spanId });
    expect(publish!.attributes).toMatchObject({ 'messaging.destination.name': 'work', 'messaging.operation.type': 'send', 'messaging.system': 'test' });
    expect(job!.data).toEqual({ host: 'example.com', traceparent: traceparentOf(publish!) });
    expect(process).toMatchObject({ name: 'process work', kind: 'consumer', traceId: server!.traceId, parentSpanId: publish!.spanId, ended: true });
    expect(process!.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.message.id': 'a' });
  });

  it("keeps a job's own trace context, and makes no producer span outside a trace", async () => {
    const { tracing, queue, ran } = tracedQueue(2);
    const stored = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await queue.enqueue([{ id: 'from-a-row', data: { traceparent: stored } }, { id: 'untraced' }]);
    await ran;
    await queue.close();

    expect(tracing.spans.map((span) => span.name)).toEqual(['process work', 'process work']);
    const [fromRow, untraced] = tracing.spans;
    expect(fromRow).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', parentSpanId: 'b7ad6b7169203331' });
    expect(untraced!.parentSpanId).toBeNull();
  });

  it('marks the consumer span failed with the error type when the handler throws', async () => {
    const tracing = createRecordingTracing();
    const queue = traceJobQueue(createInMemoryJobQueue({ retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }), tracing, { name: 'work' });
    const failed = new Promise<void>((resolve) => {
      queue.startWorker(async () => {
        throw new TypeError('boom');
      }, { concurrency: 1, onError: () => resolve() });
    });
    await queue.enqueue([{ id: 'a' }]);
    await failed;
    await queue.close();
    expect(tracing.spans[0]).toMatchObject({ name: 'process work', error: 'TypeError', ended: true });
  });

  it('passes jobs through untouched with tracing off', async () => {
    const seen: Job[] = [];
    const queue = traceJobQueue(createInMemoryJobQueue(), noTracing, { name: 'work' });
    const ran = new Promise<void>((resolve) => {
      queue.startWorker(async (job) => {
        seen.push(job);
        resolve();
      }, { concurrency: 1 });
    });
    await queue.enqueue([{ id: 'a', data: { host: 'h' } }]);
    await ran;
    await queue.close();
    expect(seen[0]!.data).toEqual({ host: 'h' });
  });
});
