import { describe, expect, it } from 'vitest';
import { WhatsAppSendError } from '../../sessions/index.js';
import { createMessageHarness, type MessageHarness } from '../../testing/message-test-harness.js';
import { aWebhookEndpoint } from '../../testing/in-memory-webhook-fixtures.js';
import { buildEnvelope, serializeEnvelope } from '../../webhooks/index.js';
import { messageEvent } from '../message-event-data.js';

async function stage(h: MessageHarness, count: number, body: (i: number) => unknown = (i) => ({ type: 'text', text: `m${i}` })) {
  const { principal, instance } = await h.tenant();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: body(i) })).message.id);
  }
  return { principal, instance, ids };
}

describe('the outbox drainer', () => {
  it('sends 200 concurrently staged messages in acceptance order, each once, and records message.sent', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const staged = await Promise.all(
      Array.from({ length: 200 }, (_, i) => h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: `m${i}` } })),
    );
    const bySeq = staged.map((s) => s.message).sort((a, b) => a.seq - b.seq);
    await h.drainAll(instance.id);
    expect(h.sent.map((s) => (s.content as { text: string }).text)).toEqual(bySeq.map((m) => (m.body as { text: string }).text));
    const sentEvents = h.eventLog().filter((e) => e.event === 'message.sent');
    expect(sentEvents.map((e) => e.data.message_id)).toEqual(bySeq.map((m) => m.id));
    expect(sentEvents[0]!.data).toEqual({ message_id: bySeq[0]!.id, whatsapp_id: 'WA000001', client_ref: null, to: '4915112345678@s.whatsapp.net', status: 'sent' });
    expect((await h.getMessage(principal, { id: bySeq[0]!.id })).message).toMatchObject({ status: 'sent', whatsappId: 'WA000001' });
  });

  it('records nothing for a send whose lease fence went stale, and records the send under a held fence', async () => {
    const h = createMessageHarness({ drainer: { claimTtlMs: 60_000 } });
    const { principal, instance, ids } = await stage(h, 1);
    const lease = (await h.repos.leases.acquire(instance.id, 'node_a', { at: h.clock.now(), until: new Date(h.clock.now().getTime() + 3_600_000) }))!;
    const fence = { instanceId: instance.id, nodeId: 'node_a', epoch: lease.epoch };
    h.fences.set(instance.id, { ...fence, epoch: fence.epoch + 1 });
    // Sent, but not recorded: the message waits for its claim to expire, as for a worker that died.
    expect(await h.drainOutbox(instance.id)).toEqual({ deferMs: 60_000 });
    expect(h.sent).toHaveLength(1);
    const stale = await h.getMessage(principal, { id: ids[0]! });
    expect(stale.message).toMatchObject({ status: 'queued', whatsappId: null });
    expect(stale.history.map((e) => e.status)).toEqual(['queued']);
    expect(h.eventLog()).toEqual([]);
    expect(h.statusMoves).toEqual([]);

    h.fences.set(instance.id, fence);
    h.clock.advance(60_000);
    await h.drainAll(instance.id);
    expect(h.sent).toHaveLength(2);
    expect((await h.getMessage(principal, { id: ids[0]! })).message).toMatchObject({ status: 'sent', whatsappId: 'WA000002' });
    expect(h.eventLog().map((e) => e.event)).toEqual(['message.sent']);
    expect(h.statusMoves).toEqual(['sent']);
  });

  it("fans message.sent out with the send's own write, byte for byte what recording it from the sent row would store", async () => {
    const h = createMessageHarness();
    const { principal, instance, ids } = await stage(h, 1);
    const endpoint = await h.repos.webhookEndpoints.create(aWebhookEndpoint(instance.customerId, { events: ['message.sent'] }));
    await h.drainAll(instance.id);
    const { message } = await h.getMessage(principal, { id: ids[0]! });
    const [delivery, ...more] = (await h.repos.webhookDeliveries.list(instance.customerId, { limit: 10, cursor: null })).data;
    expect(more).toEqual([]);
    const stored = (await h.repos.webhookDeliveries.findById(instance.customerId, delivery!.id))!;
    expect(stored).toMatchObject({ endpointId: endpoint.id, event: 'message.sent', status: 'pending' });
    const recorded = buildEnvelope(messageEvent('message.sent', message, message.updatedAt), { clock: h.clock, eventId: stored.eventId });
    expect(stored.payload).toBe(serializeEnvelope(recorded));
    // Published once the write returned, as the same envelope.
    expect(h.eventLog()).toEqual([{ event: 'message.sent', data: recorded.data }]);
  });

  it('defers by the remaining gap instead of sending two messages closer than minGapMs', async () => {
    const h = createMessageHarness({ drainer: { minGapMs: 3_000 } });
    const { instance } = await stage(h, 2);
    expect(await h.drainOutbox(instance.id)).toEqual({ deferMs: 3_000 });
    expect(h.sent).toHaveLength(1);
    h.clock.advance(1_000);
    expect(await h.drainOutbox(instance.id)).toEqual({ deferMs: 2_000 });
    expect(h.sent).toHaveLength(1);
    h.clock.advance(2_000);
    await h.drainOutbox(instance.id);
    expect(h.sent).toHaveLength(2);
  });

  it('waits for a down socket without spending an attempt, keeping later messages behind the head', async () => {
    const h = createMessageHarness({ drainer: { notConnectedRetryMs: 5_000, maxAttempts: 2 } });
    const { principal, instance, ids } = await stage(h, 2);
    for (let i = 0; i < 3; i++) {
      h.sendFailures.push(new WhatsAppSendError('not_connected', 'socket down', true));
      expect(await h.drainOutbox(instance.id)).toEqual({ deferMs: 5_000 });
      expect(await h.drainOutbox(instance.id)).toEqual({ deferMs: 5_000 }); // the head is not due: nothing overtakes it
      h.clock.advance(5_000);
    }
    expect(h.sent).toHaveLength(0);
    expect((await h.getMessage(principal, { id: ids[0]! })).message).toMatchObject({ status: 'queued', attemptCount: 0 });
    await h.drainAll(instance.id);
    expect(h.sent.map((s) => (s.content as { text: string }).text)).toEqual(['m0', 'm1']);
  });

  it('fails a message with expired once it waited longer than maxQueuedAgeMs for the socket', async () => {
    const h = createMessageHarness({ drainer: { maxQueuedAgeMs: 60_000 } });
    const { principal, ids, instance } = await stage(h, 1);
    h.clock.advance(60_000);
    h.sendFailures.push(new WhatsAppSendError('not_connected', 'socket down', true));
    await h.drainOutbox(instance.id);
    expect((await h.getMessage(principal, { id: ids[0]! })).message.error?.code).toBe('expired');
  });

  it('retries a timeout with backoff, spending attempts, and fails after maxAttempts with message.failed', async () => {
    const h = createMessageHarness({ drainer: { maxAttempts: 3, retryBaseMs: 1_000 } });
    const { principal, instance, ids } = await stage(h, 2);
    for (let i = 0; i < 3; i++) h.sendFailures.push(new WhatsAppSendError('timeout', 'no ack', true));
    expect(await h.drainOutbox(instance.id)).toEqual({ deferMs: 1_000 });
    h.clock.advance(1_000);
    expect(await h.drainOutbox(instance.id)).toEqual({ deferMs: 2_000 });
    h.clock.advance(2_000);
    await h.drainOutbox(instance.id); // third timeout: failed, then the next message goes out in the same run
    const { message, history } = await h.getMessage(principal, { id: ids[0]! });
    expect(message).toMatchObject({ status: 'failed', error: { code: 'timeout', message: 'no ack' }, attemptCount: 2 });
    expect(history.map((e) => e.status)).toEqual(['queued', 'failed']);
    expect(h.eventLog().find((e) => e.event === 'message.failed')?.data).toMatchObject({
      message_id: ids[0],
      status: 'failed',
      error: { code: 'timeout', message: 'no ack' },
    });
    expect(h.sent).toHaveLength(1);
  });

  it('fails a permanent error at once and moves on', async () => {
    const h = createMessageHarness();
    const { principal, instance, ids } = await stage(h, 2);
    h.sendFailures.push(new WhatsAppSendError('invalid_recipient', 'not on WhatsApp', false));
    await h.drainAll(instance.id);
    expect((await h.getMessage(principal, { id: ids[0]! })).message).toMatchObject({ status: 'failed', error: { code: 'invalid_recipient' } });
    expect((await h.getMessage(principal, { id: ids[1]! })).message.status).toBe('sent');
  });

  it('never lets a second worker send while a claim is live, and re-claims after a dead worker\'s lease', async () => {
    const h = createMessageHarness({ drainer: { claimTtlMs: 30_000 } });
    const { instance } = await stage(h, 1);
    const now = h.clock.now();
    const dead = await h.repos.messages.claimNext(instance.id, { now, until: new Date(now.getTime() + 30_000), token: 'dead' });
    expect(dead.claimed).toBe(true);
    expect(await h.drainOutbox(instance.id)).toEqual({ deferMs: 30_000 });
    expect(h.sent).toHaveLength(0);
    h.clock.advance(30_000);
    await h.drainOutbox(instance.id);
    expect(h.sent).toHaveLength(1);
  });

  it('fetches media_url at send time within the type cap and refuses a wrong content type permanently', async () => {
    const h = createMessageHarness();
    const bytes = new Uint8Array([1, 2, 3]);
    h.downloads.set('https://cdn.test/a.jpg', { kind: 'downloaded', status: 200, contentType: 'image/jpeg; q=1', body: bytes, durationMs: 1 });
    h.downloads.set('https://cdn.test/b.gif', { kind: 'downloaded', status: 200, contentType: 'image/gif', body: bytes, durationMs: 1 });
    const { principal, instance, ids } = await stage(h, 2, (i) => ({ type: 'image', media_url: i === 0 ? 'https://cdn.test/a.jpg' : 'https://cdn.test/b.gif', caption: 'c' }));
    await h.drainAll(instance.id);
    expect(h.sent[0]!.content).toEqual({ type: 'image', media: { data: bytes, mimeType: 'image/jpeg' }, caption: 'c' });
    expect((await h.getMessage(principal, { id: ids[1]! })).message.error?.code).toBe('unsupported_media_type');
  });

  it('quotes a reply and targets a reaction by our message id, using its WhatsApp id', async () => {
    const h = createMessageHarness();
    const { principal, instance, ids } = await stage(h, 1);
    const reply = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: 'r' }, replyTo: ids[0]! });
    await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'reaction', emoji: '👍', message_id: ids[0]! } });
    await h.drainAll(instance.id);
    const target = { whatsappId: 'WA000001', chatId: '4915112345678@s.whatsapp.net', fromMe: true };
    // Every send carries our message id, so a repeated send can be the same WhatsApp message.
    expect(h.sent[0]!.options).toEqual({ idempotencyId: ids[0] });
    expect(h.sent[1]!.options).toEqual({ replyTo: target, idempotencyId: reply.message.id });
    expect(h.sent[2]!.content).toEqual({ type: 'reaction', emoji: '👍', target });
  });

  it('claims nothing while another node runs the instance, and sends once this node does', async () => {
    const h = createMessageHarness({ drainer: { elsewhereRetryMs: 300 } });
    const { principal, instance, ids } = await stage(h, 1);
    h.ownedElsewhere.add(instance.id);
    expect(await h.drainOutbox(instance.id)).toEqual({ deferMs: 300 });
    expect(h.sent).toHaveLength(0);
    expect((await h.getMessage(principal, { id: ids[0]! })).message).toMatchObject({ status: 'queued', attemptCount: 0 });
    h.ownedElsewhere.delete(instance.id);
    await h.drainAll(instance.id);
    expect(h.sent).toHaveLength(1);
  });
});
