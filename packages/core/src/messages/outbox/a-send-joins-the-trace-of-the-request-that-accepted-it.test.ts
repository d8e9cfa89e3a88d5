import { describe, expect, it } from 'vitest';
import { createMessageHarness } from '../../testing/message-test-harness.js';
import { createRecordingTracing } from '../../testing/recording-tracing.js';

describe('tracing a message', () => {
  it('sends it in a span of the trace of the request that accepted it, even when another request woke the outbox', async () => {
    const tracing = createRecordingTracing();
    const h = createMessageHarness({ tracing });
    const { principal, instance } = await h.tenant();
    const request = tracing.startSpan('POST /v1/instances/:id/messages', { kind: 'server' });
    const { message } = await request.run(() =>
      h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: 'secret words' } }),
    );
    request.end();
    const other = tracing.startSpan('a later job', { kind: 'consumer' });
    await other.run(() => h.drainAll(instance.id));
    other.end();

    const requestSpan = tracing.spans[0]!;
    const send = tracing.spans.find((span) => span.name === 'send message');
    expect(send).toMatchObject({ kind: 'client', traceId: requestSpan.traceId, parentSpanId: requestSpan.spanId, ended: true });
    expect(send!.attributes).toMatchObject({
      'whatisup.message.id': message.id,
      'whatisup.instance.id': instance.id,
      'whatisup.customer.id': principal.customerId,
      'whatisup.message.type': 'text',
    });
    expect(JSON.stringify(tracing.spans)).not.toContain('secret words');
  });

  it('sends an untraced message under whatever span runs the drain', async () => {
    const tracing = createRecordingTracing();
    const h = createMessageHarness({ tracing });
    const { principal, instance } = await h.tenant();
    await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: 'hi' } });
    const job = tracing.startSpan('process message-outbox', { kind: 'consumer' });
    await job.run(() => h.drainAll(instance.id));
    job.end();
    const send = tracing.spans.find((span) => span.name === 'send message');
    expect(send).toMatchObject({ traceId: tracing.spans[0]!.traceId, parentSpanId: tracing.spans[0]!.spanId });
  });
});
