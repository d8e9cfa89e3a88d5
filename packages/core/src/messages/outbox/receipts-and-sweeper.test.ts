import { describe, expect, it } from 'vitest';
import { createMessageHarness } from '../../testing/message-test-harness.js';
import { aWebhookEndpoint } from '../../testing/in-memory-webhook-fixtures.js';
import { serializeEnvelope } from '../../webhooks/index.js';
import { messageEvent } from '../message-event-data.js';

async function sentMessage(to = '4915112345678') {
  const h = createMessageHarness();
  const { principal, instance } = await h.tenant();
  const { message } = await h.sendMessage(principal, { instanceId: instance.id, to, body: { type: 'text', text: 'hi' } });
  await h.drainAll(instance.id);
  const receipt = (status: 'sent' | 'delivered' | 'read', participant?: string) =>
    h.status.handleMessageStatus(instance, { whatsappId: 'WA000001', chatId: to, status, at: h.clock.now(), ...(participant && { participant }) });
  return { h, principal, instance, message, receipt };
}

describe('status moves reported to the observer', () => {
  it('say sent, then each receipt that advanced the message, once', async () => {
    const { h, receipt } = await sentMessage();
    await receipt('sent');
    await receipt('delivered');
    await receipt('delivered');
    await receipt('read');
    await receipt('delivered');
    expect(h.statusMoves).toEqual(['sent', 'delivered', 'read']);
  });
});

describe('receipts', () => {
  it("costs nothing for WhatsApp's server ack: the message is sent already, so it is not even looked up", async () => {
    const { h, principal, message, receipt } = await sentMessage();
    const messages = h.repos.messages;
    let reads = 0;
    const markStatus = messages.markStatus.bind(messages);
    messages.markStatus = (...args) => ((reads += 1), markStatus(...args));
    await receipt('sent');
    expect(reads).toBe(0);
    expect(h.statusMoves).toEqual(['sent']);
    await receipt('delivered');
    expect(reads).toBe(1);
    expect((await h.getMessage(principal, { id: message.id })).message.status).toBe('delivered');
  });


  it("fans each receipt's event out with its write, byte for byte what recording it from the moved row would store, and publishes that", async () => {
    const { h, principal, message, instance, receipt } = await sentMessage();
    await h.repos.webhookEndpoints.create(aWebhookEndpoint(instance.customerId, { events: ['message.delivered', 'message.read'] }));
    await receipt('delivered');
    await receipt('delivered');
    await receipt('read');
    const listed = (await h.repos.webhookDeliveries.list(instance.customerId, { limit: 10, cursor: null })).data;
    const stored = await Promise.all(listed.map(async (d) => (await h.repos.webhookDeliveries.findById(instance.customerId, d.id))!));
    expect(stored.map((d) => d.event).sort()).toEqual(['message.delivered', 'message.read']);
    const published = h.events.recorded.filter((e) => e.envelope.event !== 'message.sent');
    expect(published.map((e) => e.envelope.event)).toEqual(['message.delivered', 'message.read']);
    for (const event of published) {
      const delivery = stored.find((d) => d.eventId === event.envelope.event_id)!;
      expect(delivery.payload).toBe(event.body);
      expect(event.body).toBe(serializeEnvelope(event.envelope));
    }
    const { message: read } = await h.getMessage(principal, { id: message.id });
    expect(published[1]!.envelope.data).toEqual(messageEvent('message.read', read, read.updatedAt).data);
  });
  it('advances sent → delivered → read with events carrying the message id, and never moves back', async () => {
    const { h, principal, message, receipt } = await sentMessage();
    await receipt('sent');
    await receipt('delivered');
    await receipt('read');
    await receipt('delivered');
    const events = h.eventLog().filter((e) => e.event !== 'message.sent');
    expect(events.map((e) => e.event)).toEqual(['message.delivered', 'message.read']);
    expect(events[1]!.data).toEqual({ message_id: message.id, whatsapp_id: 'WA000001', client_ref: null, to: '4915112345678@s.whatsapp.net', status: 'read' });
    const { message: now, history } = await h.getMessage(principal, { id: message.id });
    expect(now.status).toBe('read');
    expect(history.map((e) => e.status)).toEqual(['queued', 'sent', 'delivered', 'read']);
  });

  it('in a group, advances on the first participant and records that participant', async () => {
    const { h, principal, message, receipt } = await sentMessage('120363040000000000@g.us');
    await receipt('delivered', '491511111111@s.whatsapp.net');
    await receipt('delivered', '491522222222@s.whatsapp.net');
    await receipt('read', '491522222222@s.whatsapp.net');
    const events = h.eventLog().filter((e) => e.event !== 'message.sent');
    expect(events.map((e) => [e.event, e.data.participant])).toEqual([
      ['message.delivered', '491511111111@s.whatsapp.net'],
      ['message.read', '491522222222@s.whatsapp.net'],
    ]);
    const { history } = await h.getMessage(principal, { id: message.id });
    expect(history.map((e) => e.participant)).toEqual([null, null, '491511111111@s.whatsapp.net', '491522222222@s.whatsapp.net']);
  });

  it('applies a receipt that arrived before the send was recorded once the send commits', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const { message } = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: 'hi' } });
    await h.status.handleMessageStatus(instance, { whatsappId: 'WA000001', chatId: 'x', status: 'delivered', at: h.clock.now() });
    expect(h.eventLog()).toEqual([]);
    await h.drainAll(instance.id);
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.eventLog().map((e) => e.event)).toEqual(['message.sent', 'message.delivered']);
    expect((await h.getMessage(principal, { id: message.id })).message.status).toBe('delivered');
  });

  it('applies a receipt only under a held lease fence, and neither applies nor parks one under a stale fence', async () => {
    const { h, principal, instance, message } = await sentMessage();
    const lease = (await h.repos.leases.acquire(instance.id, 'node_a', { at: h.clock.now(), until: new Date(h.clock.now().getTime() + 10_000) }))!;
    const fence = { instanceId: instance.id, nodeId: 'node_a', epoch: lease.epoch };
    const receipt = (status: 'delivered' | 'read', under: typeof fence) =>
      h.status.handleMessageStatus({ ...instance, fence: under }, { whatsappId: 'WA000001', chatId: 'x', status, at: h.clock.now() });
    await receipt('delivered', { ...fence, epoch: fence.epoch + 1 });
    await receipt('delivered', { ...fence, nodeId: 'node_b' });
    const sent = (await h.getMessage(principal, { id: message.id })).message;
    expect(sent.status).toBe('sent');
    await h.status.applyParked(sent); // nothing was parked for it
    expect((await h.getMessage(principal, { id: message.id })).message.status).toBe('sent');
    expect(h.eventLog().map((e) => e.event)).toEqual(['message.sent']);

    await receipt('delivered', fence);
    expect((await h.getMessage(principal, { id: message.id })).message.status).toBe('delivered');
    h.clock.advance(10_000); // the lease expired
    await receipt('read', fence);
    expect((await h.getMessage(principal, { id: message.id })).message.status).toBe('delivered');
    expect(h.eventLog().map((e) => e.event)).toEqual(['message.sent', 'message.delivered']);
    expect(h.statusMoves).toEqual(['sent', 'delivered']);
  });

  it('ignores a receipt for a message of another instance', async () => {
    const { h, receipt } = await sentMessage();
    const other = await h.tenant();
    await h.status.handleMessageStatus(other.instance, { whatsappId: 'WA000001', chatId: 'x', status: 'read', at: h.clock.now() });
    await receipt('delivered');
    expect(h.eventLog().map((e) => e.event)).toEqual(['message.sent', 'message.delivered']);
  });
});

describe('sweepOutboxes', () => {
  it('re-wakes the outbox of every instance with queued messages after their jobs were lost', async () => {
    const h = createMessageHarness();
    const a = await h.tenant();
    const b = await h.tenant();
    for (const t of [a, b]) await h.sendMessage(t.principal, { instanceId: t.instance.id, to: '4915112345678', body: { type: 'text', text: 'x' } });
    h.queue.take(); // Redis flushed
    expect(await h.sweep()).toEqual({ woken: 2 });
    expect(h.queue.take().sort()).toEqual([`outbox:${a.instance.id}`, `outbox:${b.instance.id}`].sort());
    await h.drainAll(a.instance.id);
    expect(await h.sweep()).toEqual({ woken: 1 });
    expect(await h.sweep()).toEqual({ woken: 0 }); // the job is held now
  });

  it('skips an instance whose head is claimed until the claim expires', async () => {
    const h = createMessageHarness();
    const t = await h.tenant();
    await h.sendMessage(t.principal, { instanceId: t.instance.id, to: '4915112345678', body: { type: 'text', text: 'x' } });
    h.queue.take();
    const now = h.clock.now();
    await h.repos.messages.claimNext(t.instance.id, { now, until: new Date(now.getTime() + 10_000), token: 'dead' });
    expect(await h.sweep()).toEqual({ woken: 0 });
    h.clock.advance(10_000);
    expect(await h.sweep()).toEqual({ woken: 1 });
  });
});
