import { describe, expect, it } from 'vitest';
import { aCustomer, anInstance } from '../fixtures.js';
import { aNewMessage } from '../message-fixtures.js';
import { newId } from '../../shared/index.js';
import type { FenceCheck, LeaseFence } from '../../cluster/index.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';
import { aWebhookEndpoint } from '../in-memory-webhook-fixtures.js';
import { createInProcessEventBus } from '../../events/index.js';
import { messageEvent, prepareReceiptEvent } from '../../messages/message-event-data.js';
import { fillPayload } from '../../messages/message-repository.js';
import { createEventRecorder, serializeEnvelope } from '../../webhooks/index.js';

/** Whole milliseconds, as Postgres round-trips them. */
const at = (offsetMs = 0): Date => new Date(Math.floor(Date.now() / 1000) * 1000 + offsetMs);


/** The behaviour every `MessageRepository` must have. */
export function describeMessageRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`MessageRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const newInstance = async () => {
      const { repos } = subject();
      const customer = await repos.customers.create(aCustomer());
      const instance = await repos.instances.create(anInstance(customer.id, { status: 'connected' }));
      return { customerId: customer.id, instanceId: instance.id };
    };
    const claim = (instanceId: string, token: string, now = at(), ttl = 30_000) =>
      subject().repos.messages.claimNext(instanceId, { now, until: new Date(now.getTime() + ttl), token });

    it('gives the claimed message back with the trace context it was staged with', async () => {
      const { instanceId, customerId } = await newInstance();
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await subject().repos.messages.stage(aNewMessage(customerId, instanceId, { traceparent }));
      const claimed = await claim(instanceId, 'token');
      expect(claimed.claimed && claimed.message.traceparent).toBe(traceparent);
    });

    it("counts every customer's queued messages and finds the oldest one", async () => {
      const { messages } = subject().repos;
      // Other tests share the database: compare with before, and make ours the oldest by far.
      const before = await messages.queuedBacklog();
      const first = await newInstance();
      const second = await newInstance();
      const oldest = at(-365 * 86_400_000);
      await messages.stage(aNewMessage(first.customerId, first.instanceId, { createdAt: oldest }));
      await messages.stage(aNewMessage(second.customerId, second.instanceId));
      const after = await messages.queuedBacklog();
      expect(after.queued - before.queued).toBe(2);
      expect(after.oldestCreatedAt).toEqual(oldest);
    });

    it('stages with increasing seq and finds the message by id, tenant-scoped, with a queued history', async () => {
      const { messages } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      const a = await messages.stage(aNewMessage(customerId, instanceId, { body: { type: 'location', latitude: 1.5, longitude: 2 } }));
      const b = await messages.stage(aNewMessage(customerId, instanceId));
      if (a.outcome !== 'staged' || b.outcome !== 'staged') throw new Error('not staged');
      expect(b.message.seq).toBeGreaterThan(a.message.seq);
      expect(await messages.findById(customerId, a.message.id)).toEqual(a.message);
      expect(await messages.findById((await newInstance()).customerId, a.message.id)).toBeNull();
      expect((await messages.history(customerId, a.message.id)).map((e) => e.status)).toEqual(['queued']);
    });

    it('stages under a condition only while the customer\'s instance is in one of its statuses, writing nothing otherwise', async () => {
      const { repos } = subject();
      const { customerId, instanceId } = await newInstance();
      const sendable = { instanceStatusIn: ['connected', 'reconnecting'] } as const;
      const staged = await repos.messages.stageIfInstance(aNewMessage(customerId, instanceId), sendable);
      expect(staged.outcome).toBe('staged');

      const down = await repos.instances.create(anInstance(customerId, { status: 'disconnected' }));
      const refused = aNewMessage(customerId, down.id);
      expect(await repos.messages.stageIfInstance(refused, sendable)).toEqual({ outcome: 'instance_unavailable', status: 'disconnected' });
      expect(await repos.messages.findById(customerId, refused.id)).toBeNull();

      const stranger = await newInstance();
      const foreign = aNewMessage(customerId, stranger.instanceId);
      expect(await repos.messages.stageIfInstance(foreign, sendable)).toEqual({ outcome: 'instance_unavailable', status: null });
      expect(await repos.messages.findById(customerId, foreign.id)).toBeNull();
      expect(await repos.messages.findById(stranger.customerId, foreign.id)).toBeNull();

      const later = await repos.messages.stageIfInstance(aNewMessage(customerId, instanceId), sendable);
      if (staged.outcome !== 'staged' || later.outcome !== 'staged') throw new Error('not staged');
      expect(later.message.seq).toBeGreaterThan(staged.message.seq);
      expect((await repos.messages.history(customerId, later.message.id)).map((e) => e.status)).toEqual(['queued']);
      const repeat = await repos.messages.stageIfInstance(aNewMessage(customerId, instanceId, { clientRef: 'r' }), sendable);
      const again = await repos.messages.stageIfInstance(aNewMessage(customerId, instanceId, { clientRef: 'r' }), sendable);
      expect(repeat.outcome === 'staged' && again.outcome === 'duplicate' && again.existing.id === repeat.message.id).toBe(true);
    });

    it('reports a taken idempotency key or client_ref as a duplicate holding the first message, also under concurrency', async () => {
      const { messages } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => messages.stage(aNewMessage(customerId, instanceId, { idempotencyKey: 'k', clientRef: 'r' }))),
      );
      const staged = results.filter((r) => r.outcome === 'staged');
      expect(staged).toHaveLength(1);
      const firstId = staged[0]!.outcome === 'staged' ? staged[0]!.message.id : '';
      for (const r of results) expect(r.outcome === 'staged' ? r.message.id : r.existing.id).toBe(firstId);
      const byRef = await messages.stage(aNewMessage(customerId, instanceId, { clientRef: 'r' }));
      expect(byRef.outcome === 'duplicate' && byRef.existing.id).toBe(firstId);
      expect((await messages.findByIdempotencyKey(customerId, 'k'))?.id).toBe(firstId);
      expect((await messages.findByClientRef(customerId, instanceId, 'r'))?.id).toBe(firstId);
      const other = await newInstance();
      expect((await messages.stage(aNewMessage(other.customerId, other.instanceId, { idempotencyKey: 'k', clientRef: 'r' }))).outcome).toBe('staged');
    });

    it('claims only the head, one claimant at a time, and re-offers it after the claim expires', async () => {
      const { messages } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      const first = await messages.stage(aNewMessage(customerId, instanceId));
      await messages.stage(aNewMessage(customerId, instanceId));
      const now = at();
      const [x, y] = await Promise.all([claim(instanceId, 'x', now), claim(instanceId, 'y', now)]);
      expect([x.claimed, y.claimed].filter(Boolean)).toHaveLength(1);
      const won = x.claimed ? x : y;
      expect(won.claimed && won.message.id).toBe(first.outcome === 'staged' && first.message.id);
      expect(await claim(instanceId, 'z', now)).toEqual({ claimed: false, retryAt: new Date(now.getTime() + 30_000) });
      const later = await claim(instanceId, 'z', new Date(now.getTime() + 30_000));
      expect(later.claimed && later.message.id).toBe(won.claimed && won.message.id);
    });

    it('marks sent with the WhatsApp id only under the claim, then offers the next message', async () => {
      const { messages } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      await messages.stage(aNewMessage(customerId, instanceId));
      const second = await messages.stage(aNewMessage(customerId, instanceId));
      const c = await claim(instanceId, 't');
      if (!c.claimed) throw new Error('not claimed');
      expect(await messages.markSent(c.message.id, 'wrong', { whatsappId: 'WA1', at: at(1000) })).toBeNull();
      const sent = await messages.markSent(c.message.id, 't', { whatsappId: 'WA1', at: at(1000) });
      expect(sent).toMatchObject({ status: 'sent', whatsappId: 'WA1', updatedAt: at(1000) });
      expect((await messages.findByWhatsappId(instanceId, 'WA1'))?.id).toBe(c.message.id);
      expect(await messages.markSent(c.message.id, 't', { whatsappId: 'WA2', at: at(2000) })).toBeNull();
      const next = await claim(instanceId, 'u');
      expect(next.claimed && next.message.id).toBe(second.outcome === 'staged' && second.message.id);
    });

    describe('under a lease fence', () => {
      /** An instance whose lease node A holds from at() to at(10_000), with its fence and three stale ones. */
      const leasedInstance = async () => {
        const ids = await newInstance();
        const nodeId = newId('node');
        const lease = await subject().repos.leases.acquire(ids.instanceId, nodeId, { at: at(), until: at(10_000) });
        if (lease === null) throw new Error('no lease');
        const fence: LeaseFence = { instanceId: ids.instanceId, nodeId, epoch: lease.epoch };
        const held: FenceCheck = { fence, at: at(1) };
        const stale: readonly FenceCheck[] = [
          { fence: { ...fence, epoch: fence.epoch + 1 }, at: at(1) },
          { fence: { ...fence, nodeId: newId('node') }, at: at(1) },
          { fence, at: at(10_000) },
        ];
        return { ...ids, fence, held, stale };
      };

      it('refuses markSent under a stale fence (other epoch, other node, expired), changing nothing; sends under a held one', async () => {
        const { messages } = subject().repos;
        const { customerId, instanceId, held, stale } = await leasedInstance();
        await messages.stage(aNewMessage(customerId, instanceId));
        const now = at();
        const c = await claim(instanceId, 't', now);
        if (!c.claimed) throw new Error('not claimed');
        for (const check of stale) {
          expect(await messages.markSent(c.message.id, 't', { whatsappId: 'WA-F', at: at(1) }, check)).toBe('stale_fence');
          // A stale fence wins over a lost claim: the caller learns it is no longer the owner.
          expect(await messages.markSent(c.message.id, 'wrong', { whatsappId: 'WA-F', at: at(1) }, check)).toBe('stale_fence');
        }
        expect(await messages.findById(customerId, c.message.id)).toMatchObject({ status: 'queued', whatsappId: null });
        expect(await messages.findByWhatsappId(instanceId, 'WA-F')).toBeNull();
        expect((await messages.history(customerId, c.message.id)).map((e) => e.status)).toEqual(['queued']);
        // The claim was left alone too: still ours, so no one else may claim it.
        expect(await claim(instanceId, 'other', now)).toMatchObject({ claimed: false });

        expect(await messages.markSent(c.message.id, 'wrong', { whatsappId: 'WA-F', at: at(1) }, held)).toBeNull();
        const sent = await messages.markSent(c.message.id, 't', { whatsappId: 'WA-F', at: at(1) }, held);
        expect(sent).toMatchObject({ id: c.message.id, status: 'sent', whatsappId: 'WA-F' });
        expect((await messages.history(customerId, c.message.id)).map((e) => e.status)).toEqual(['queued', 'sent']);
      });

      it('marks sent and fans the event out in one atomic write: nothing fanned out under a stale fence or a lost claim', async () => {
        const { messages, webhookEndpoints, webhookDeliveries } = subject().repos;
        const { customerId, instanceId, held, stale } = await leasedInstance();
        const wanting = await webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['message.sent'] }));
        const everything = await webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['*'], instanceId }));
        await webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['message.received'] }));
        await webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['*'], enabled: false }));
        await messages.stage(aNewMessage(customerId, instanceId));
        const c = await claim(instanceId, 't');
        if (!c.claimed) throw new Error('not claimed');
        const sentAt = at(1);
        const recorder = createEventRecorder({ clock: { now: () => sentAt }, deliveryQueue: { enqueue: async () => {} }, bus: createInProcessEventBus() });
        const event = recorder.prepare(messageEvent('message.sent', { ...c.message, status: 'sent', whatsappId: 'WA-E' }, sentAt));
        const deliveriesOf = async () => (await webhookDeliveries.list(customerId, { limit: 100, cursor: null })).data;

        for (const check of stale) expect(await messages.markSentWithEvent(c.message.id, 't', { whatsappId: 'WA-E', at: sentAt }, check, event)).toBe('stale_fence');
        expect(await messages.markSentWithEvent(c.message.id, 'wrong', { whatsappId: 'WA-E', at: sentAt }, held, event)).toBeNull();
        expect(await messages.findById(customerId, c.message.id)).toMatchObject({ status: 'queued', whatsappId: null });
        expect(await deliveriesOf()).toEqual([]);

        const sent = await messages.markSentWithEvent(c.message.id, 't', { whatsappId: 'WA-E', at: sentAt }, held, event);
        if (sent === null || sent === 'stale_fence') throw new Error('not sent');
        expect(sent.message).toMatchObject({ id: c.message.id, status: 'sent', whatsappId: 'WA-E' });
        expect((await messages.history(customerId, c.message.id)).map((e) => e.status)).toEqual(['queued', 'sent']);
        // The matching enabled endpoints, by endpoint id, with the drawn ids in that order and their urls.
        const matching = [wanting, everything].sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(sent.deliveries).toEqual(matching.map((endpoint, i) => ({ deliveryId: event.fanOut.ids[i], endpointId: endpoint.id, url: endpoint.url })));
        for (const { deliveryId } of sent.deliveries) {
          expect(await webhookDeliveries.findById(customerId, deliveryId)).toMatchObject({
            event: 'message.sent',
            eventId: event.envelope.event_id,
            instanceId,
            payload: event.fanOut.payload,
            status: 'pending',
            attemptCount: 0,
            nextAttemptAt: sentAt,
          });
        }
        // Settled: a second write (a retried job) changes and fans out nothing more.
        expect(await messages.markSentWithEvent(c.message.id, 't', { whatsappId: 'WA-E', at: sentAt }, held, recorder.prepare(messageEvent('message.sent', sent.message, sentAt)))).toBeNull();
        expect(await deliveriesOf()).toHaveLength(2);
      });

      it('moves a receipt and fans its event out in one atomic write, the payload completed from the moved row', async () => {
        const { messages, webhookEndpoints, webhookDeliveries } = subject().repos;
        const { customerId, instanceId, held, stale } = await leasedInstance();
        const endpoint = await webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['message.delivered', 'message.read'] }));
        // A client_ref and a recipient that JSON must escape: the write's escaping is JSON.stringify's.
        await messages.stage(aNewMessage(customerId, instanceId, { clientRef: 'ref "q" \\ \u0001 é\n', recipient: '4915112345678@s.whatsapp.net' }));
        const c = await claim(instanceId, 't');
        if (!c.claimed) throw new Error('not claimed');
        await messages.markSent(c.message.id, 't', { whatsappId: 'WA-R', at: at(1) }, held);
        const recorder = createEventRecorder({ clock: { now: () => at(2) }, deliveryQueue: { enqueue: async () => {} }, bus: createInProcessEventBus() });
        const receipt = (status: 'delivered' | 'read') => ({
          event: prepareReceiptEvent(recorder, `message.${status}`, { instanceId, whatsappId: 'WA-R', status }, at(2), { participant: '49151@s.whatsapp.net' }),
          update: { status, at: at(2), participant: null },
        });
        const deliveriesOf = async () => (await webhookDeliveries.list(customerId, { limit: 100, cursor: null })).data;

        const delivered = receipt('delivered');
        for (const check of stale) expect(await messages.markStatus(instanceId, 'WA-R', delivered.update, check, delivered.event)).toBe('stale_fence');
        expect(await messages.markStatus(instanceId, 'unknown', delivered.update, held, delivered.event)).toBeNull();
        expect(await deliveriesOf()).toEqual([]);

        const moved = await messages.markStatus(instanceId, 'WA-R', delivered.update, held, delivered.event);
        if (moved === null || moved === 'stale_fence') throw new Error('not moved');
        expect(moved).toMatchObject({ advanced: true, message: { status: 'delivered' } });
        expect(moved.deliveries).toEqual([{ deliveryId: delivered.event.prepared.fanOut.ids[0], endpointId: endpoint.id, url: endpoint.url }]);
        const stored = await webhookDeliveries.findById(customerId, moved.deliveries[0]!.deliveryId);
        const expected = { ...delivered.event.prepared.envelope, data: messageEvent('message.delivered', moved.message, at(2), { participant: '49151@s.whatsapp.net' }).data };
        expect(stored).toMatchObject({ customerId, event: 'message.delivered', eventId: delivered.event.prepared.envelope.event_id, status: 'pending' });
        expect(stored!.payload).toBe(serializeEnvelope(expected));
        expect(fillPayload(delivered.event, moved.message)).toBe(stored!.payload);

        // Not advanced (already delivered): nothing fanned out.
        const again = receipt('delivered');
        expect(await messages.markStatus(instanceId, 'WA-R', again.update, held, again.event)).toMatchObject({ advanced: false, deliveries: [] });
        expect(await deliveriesOf()).toHaveLength(1);
        const read = receipt('read');
        expect(await messages.markStatus(instanceId, 'WA-R', read.update, held, read.event)).toMatchObject({ advanced: true, deliveries: [{ endpointId: endpoint.id }] });
        expect(await deliveriesOf()).toHaveLength(2);
      });

      it('refuses markStatus under a stale fence, changing nothing; applies receipts under a held one', async () => {
        const { messages, leases } = subject().repos;
        const { customerId, instanceId, fence, held, stale } = await leasedInstance();
        await messages.stage(aNewMessage(customerId, instanceId));
        const c = await claim(instanceId, 't');
        if (!c.claimed) throw new Error('not claimed');
        await messages.markSent(c.message.id, 't', { whatsappId: 'WA-G', at: at(1) }, held);
        const delivered = { status: 'delivered', at: at(2), participant: null } as const;
        for (const check of stale) {
          expect(await messages.markStatus(instanceId, 'WA-G', delivered, check)).toBe('stale_fence');
          expect(await messages.markStatus(instanceId, 'unknown', delivered, check)).toBe('stale_fence');
        }
        expect(await messages.findById(customerId, c.message.id)).toMatchObject({ status: 'sent' });
        expect((await messages.history(customerId, c.message.id)).map((e) => e.status)).toEqual(['queued', 'sent']);

        expect(await messages.markStatus(instanceId, 'unknown', delivered, held)).toBeNull();
        expect(await messages.markStatus(instanceId, 'WA-G', delivered, held)).toMatchObject({ advanced: true, message: { status: 'delivered' } });
        expect(await messages.markStatus(instanceId, 'WA-G', delivered, held)).toMatchObject({ advanced: false, message: { status: 'delivered' } });

        // Once another node took the instance over, the old fence is refused.
        await leases.acquire(instanceId, newId('node'), { at: at(10_000), until: at(20_000) });
        const read = { status: 'read', at: at(10_001), participant: null } as const;
        expect(await messages.markStatus(instanceId, 'WA-G', read, { fence, at: at(10_001) })).toBe('stale_fence');
        expect((await messages.history(customerId, c.message.id)).map((e) => e.status)).toEqual(['queued', 'sent', 'delivered']);
      });
    });

    it('releases a claim with a later due time and an attempt count; marks failed with the error in history', async () => {
      const { messages } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      await messages.stage(aNewMessage(customerId, instanceId));
      const now = at();
      const c = await claim(instanceId, 't', now);
      if (!c.claimed) throw new Error('not claimed');
      await messages.release(c.message.id, 't', { nextAttemptAt: new Date(now.getTime() + 5000), attemptCount: 1, at: now });
      expect(await claim(instanceId, 'u', now)).toEqual({ claimed: false, retryAt: new Date(now.getTime() + 5000) });
      const again = await claim(instanceId, 'u', new Date(now.getTime() + 5000));
      expect(again.claimed && again.message.attemptCount).toBe(1);
      const error = { code: 'invalid_recipient', message: 'no' };
      expect(await messages.markFailed(c.message.id, 'u', { error, at: at(6000) })).toMatchObject({ status: 'failed', error });
      expect((await messages.history(customerId, c.message.id)).map((e) => [e.status, e.error])).toEqual([['queued', null], ['failed', error]]);
      expect(await claim(instanceId, 'v', at(7000))).toEqual({ claimed: false, retryAt: null });
    });

    it('moves status forward only, recording the participant of the receipt that advanced it', async () => {
      const { messages } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      await messages.stage(aNewMessage(customerId, instanceId));
      const c = await claim(instanceId, 't');
      if (!c.claimed) throw new Error('not claimed');
      await messages.markSent(c.message.id, 't', { whatsappId: 'WA9', at: at(1) });
      const read = await messages.markStatus(instanceId, 'WA9', { status: 'read', at: at(2000), participant: 'p1' });
      expect(read).toMatchObject({ advanced: true, message: { status: 'read' } });
      expect(await messages.markStatus(instanceId, 'WA9', { status: 'delivered', at: at(3000), participant: null })).toMatchObject({ advanced: false, message: { status: 'read' } });
      expect(await messages.markStatus(instanceId, 'unknown', { status: 'read', at: at(), participant: null })).toBeNull();
      expect(await messages.markStatus((await newInstance()).instanceId, 'WA9', { status: 'read', at: at(), participant: null })).toBeNull();
      const history = await messages.history(customerId, c.message.id);
      expect(history.map((e) => [e.status, e.participant])).toEqual([['queued', null], ['sent', null], ['read', 'p1']]);
    });

    it('lists the instance\'s sent and delivered messages in seq order, in pages, for receipts still owed', async () => {
      const { messages } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      const other = await newInstance();
      const sendHead = async (whatsappId: string, sentAt: Date) => {
        const c = await claim(instanceId, whatsappId);
        if (!c.claimed) throw new Error('not claimed');
        const sent = await messages.markSent(c.message.id, whatsappId, { whatsappId, at: sentAt });
        if (sent === null || sent === 'stale_fence') throw new Error('not sent');
        return sent;
      };
      for (let i = 0; i < 4; i += 1) await messages.stage(aNewMessage(customerId, instanceId));
      await messages.stage(aNewMessage(other.customerId, other.instanceId));
      const read = await sendHead('WA-R', at(1000));
      const delivered = await sendHead('WA-D', at(1000));
      const sent = await sendHead('WA-S', at(3000));
      await messages.markStatus(instanceId, 'WA-R', { status: 'read', at: at(2000), participant: null });
      await messages.markStatus(instanceId, 'WA-D', { status: 'delivered', at: at(2000), participant: null });

      const awaiting = await messages.listAwaitingReceipts(instanceId, { afterSeq: null, limit: 10 });
      expect(awaiting.map((m) => [m.id, m.status, m.updatedAt])).toEqual([
        [delivered.id, 'delivered', at(2000)],
        [sent.id, 'sent', at(3000)],
      ]);
      expect(awaiting.map((m) => m.id)).not.toContain(read.id);
      const first = await messages.listAwaitingReceipts(instanceId, { afterSeq: null, limit: 1 });
      expect(first.map((m) => m.id)).toEqual([delivered.id]);
      const rest = await messages.listAwaitingReceipts(instanceId, { afterSeq: first[0]!.seq, limit: 1 });
      expect(rest.map((m) => m.id)).toEqual([sent.id]);
      expect(await messages.listAwaitingReceipts(instanceId, { afterSeq: sent.seq, limit: 1 })).toEqual([]);
      expect(await messages.listAwaitingReceipts(other.instanceId, { afterSeq: null, limit: 10 })).toEqual([]);
    });

    it('lists messages newest first with filters, and instances with unclaimed queued messages', async () => {
      const { messages } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      const other = await newInstance();
      const a = await messages.stage(aNewMessage(customerId, instanceId));
      const b = await messages.stage(aNewMessage(customerId, instanceId));
      await messages.stage(aNewMessage(other.customerId, other.instanceId));
      const page = await messages.list(customerId, { limit: 1 });
      expect(page.data.map((m) => m.id)).toEqual([b.outcome === 'staged' && b.message.id]);
      const rest = await messages.list(customerId, { limit: 5, cursor: page.nextCursor });
      expect(rest.data.map((m) => m.id)).toEqual([a.outcome === 'staged' && a.message.id]);
      expect((await messages.list(customerId, { limit: 5 }, { status: 'sent' })).data).toEqual([]);
      const now = at();
      const listed = async () => (await messages.listInstancesWithQueued(now, { afterInstanceId: null, limit: 10_000 })).map((i) => i.instanceId);
      expect(await listed()).toEqual(expect.arrayContaining([instanceId, other.instanceId]));
      await claim(instanceId, 't', now);
      const after = await listed();
      expect(after).toContain(other.instanceId);
      expect(after).not.toContain(instanceId);
    });

    it('orders outbox actions with the messages, performs them without a WhatsApp id, and never lists them', async () => {
      const { messages } = subject().repos;
      const { customerId, instanceId } = await newInstance();
      const action = { type: 'action', action: { type: 'block', address: '4915112345678@s.whatsapp.net' } } as const;
      const first = await messages.stage(aNewMessage(customerId, instanceId));
      const second = await messages.stage(aNewMessage(customerId, instanceId, { id: newId('action'), body: action }));
      if (first.outcome !== 'staged' || second.outcome !== 'staged') throw new Error('not staged');
      const head = await claim(instanceId, 'a');
      expect(head.claimed && head.message.id).toBe(first.message.id);
      await messages.markSent(first.message.id, 'a', { whatsappId: `wa-${first.message.id}`, at: at() });
      const next = await claim(instanceId, 'b');
      expect(next.claimed && next.message.body).toEqual(action);
      const performed = await messages.markSent(second.message.id, 'b', { whatsappId: null, at: at() });
      expect(performed).toMatchObject({ status: 'sent', whatsappId: null });
      expect((await messages.list(customerId, { limit: 10 })).data.map((m) => m.id)).toEqual([first.message.id]);
      const owed = await messages.listAwaitingReceipts(instanceId, { afterSeq: null, limit: 10 });
      expect(owed.map((m) => m.id)).toEqual([first.message.id]);
    });
  });
}
