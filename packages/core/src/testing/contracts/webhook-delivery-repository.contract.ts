import { describe, expect, it } from 'vitest';
import { isDomainError, isId, newId } from '../../shared/index.js';
import { surplusDeliveryId } from '../../webhooks/index.js';
import { aCustomer, anInstance } from '../fixtures.js';
import { aWebhookDelivery, aWebhookEndpoint } from '../in-memory-webhook-fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

const later = (at: Date, ms: number): Date => new Date(at.getTime() + ms);

/** The behaviour every `WebhookDeliveryRepository` must have. */
export function describeWebhookDeliveryRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`WebhookDeliveryRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    /** A fresh customer with one endpoint. */
    async function newEndpoint(): Promise<{ customerId: string; endpointId: string }> {
      const { repos } = subject();
      const customerId = (await repos.customers.create(aCustomer())).id;
      const endpointId = (await repos.webhookEndpoints.create(aWebhookEndpoint(customerId))).id;
      return { customerId, endpointId };
    }
    const claimAt = (now: Date, token: string) => ({ now, until: later(now, 30_000), token });

    it("stores deliveries intact, rejects duplicates per (event, endpoint) and hides another customer's", async () => {
      const repo = subject().repos.webhookDeliveries;
      const { customerId, endpointId } = await newEndpoint();
      const other = await newEndpoint();
      const delivery = aWebhookDelivery(customerId, endpointId, { payload: '{"exact":"bytes","é":1}' });
      await repo.createMany([delivery]);
      expect(await repo.findById(customerId, delivery.id)).toEqual(delivery);
      expect(await repo.findById(other.customerId, delivery.id)).toBeNull();
      expect((await repo.list(other.customerId, { limit: 100 })).data).toEqual([]);
      expect(await repo.replay(other.customerId, delivery.id, new Date())).toBeNull();
      const twin = aWebhookDelivery(customerId, endpointId, { eventId: delivery.eventId });
      expect(isDomainError(await repo.createMany([twin]).catch((e: unknown) => e), 'conflict')).toBe(true);
    });

    /** A fan-out of a fresh event of the customer, with `idCount` fresh ascending ids. */
    function fanOutOf(customerId: string, instanceId: string | null, event: 'message.received' | 'instance.connected', idCount: number) {
      const at = new Date();
      const eventId = newId('event');
      const ids = Array.from({ length: idCount }, () => newId('delivery', at.getTime()));
      return { customerId, instanceId, event, eventId, payload: `{"event":"${event}","event_id":"${eventId}"}`, at, traceparent: null, ids };
    }

    it('fans an event out to the enabled endpoints that want it, by instance, name, family or *, and to no one else', async () => {
      const { repos } = subject();
      const customerId = (await repos.customers.create(aCustomer())).id;
      const shop = await repos.instances.create(anInstance(customerId));
      const other = await repos.instances.create(anInstance(customerId));
      const stranger = await newEndpoint(); // another customer's endpoint, subscribed to everything
      const create = (o: Parameters<typeof aWebhookEndpoint>[1]) => repos.webhookEndpoints.create(aWebhookEndpoint(customerId, o));
      const all = await create({ events: ['*'] });
      const named = await create({ events: ['message.sent', 'message.received'] });
      const bound = await create({ events: ['*'], instanceId: shop.id });
      await create({ events: ['*'], instanceId: other.id });
      await create({ events: ['instance.connected'] });
      await create({ events: ['*'], enabled: false, disabledReason: 'manual' });
      const family = await create({ events: ['message.*'] });
      await create({ events: ['instance.*'], instanceId: shop.id });
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const fanOut = { ...fanOutOf(customerId, shop.id, 'message.received', 10), traceparent };

      const created = await repos.webhookDeliveries.createForMatchingEndpoints(fanOut);

      const wanted = [all, named, bound, family];
      expect(created).toEqual(wanted.map((e, i) => ({ deliveryId: fanOut.ids[i], endpointId: e.id, url: e.url })));
      for (const { deliveryId, endpointId } of created) {
        // The trace context is read by the sweeper (below), not with the public record.
        const { traceparent: _traceparent, ...stored } = (await repos.webhookDeliveries.findById(customerId, deliveryId))!;
        expect(stored).toEqual({
          id: deliveryId,
          customerId,
          endpointId,
          instanceId: shop.id,
          event: 'message.received',
          eventId: fanOut.eventId,
          payload: fanOut.payload,
          status: 'pending',
          attemptCount: 0,
          nextAttemptAt: fanOut.at,
          lastResponseStatus: null,
          lastError: null,
          deliveredAt: null,
          createdAt: fanOut.at,
          updatedAt: fanOut.at,
        });
      }
      const due = await repos.webhookDeliveries.listDue(fanOut.at, 100_000);
      expect(due.filter((d) => fanOut.ids.includes(d.id)).map((d) => d.traceparent)).toEqual([traceparent, traceparent, traceparent, traceparent]);
      const listed = (await repos.webhookDeliveries.list(customerId, { limit: 100 })).data.map((d) => d.id);
      expect(listed).toEqual(fanOut.ids.slice(0, 4).reverse());
      expect((await repos.webhookDeliveries.list(stranger.customerId, { limit: 100 })).data).toEqual([]);

      // An event of no instance reaches only the unbound endpoints.
      const unbound = await repos.webhookDeliveries.createForMatchingEndpoints(fanOutOf(customerId, null, 'message.received', 10));
      expect(unbound.map((d) => d.endpointId)).toEqual([all.id, named.id, family.id]);
    });

    it('writes nothing when no endpoint wants the event, and mints ids when more endpoints match than ids were given', async () => {
      const { repos } = subject();
      const { customerId, endpointId } = await newEndpoint(); // subscribed to '*'
      await repos.webhookEndpoints.disable(customerId, endpointId, 'manual', new Date());
      await repos.webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['message.sent'] }));
      expect(await repos.webhookDeliveries.createForMatchingEndpoints(fanOutOf(customerId, null, 'instance.connected', 3))).toEqual([]);
      expect((await repos.webhookDeliveries.list(customerId, { limit: 100 })).data).toEqual([]);

      const third = await repos.webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['instance.connected'] }));
      const fourth = await repos.webhookEndpoints.create(aWebhookEndpoint(customerId, { events: ['*'] }));
      const fanOut = fanOutOf(customerId, null, 'instance.connected', 1);
      const created = await repos.webhookDeliveries.createForMatchingEndpoints(fanOut);
      expect(created.map((d) => [d.endpointId, d.url])).toEqual([[third.id, third.url], [fourth.id, fourth.url]]);
      expect(created[0]!.deliveryId).toBe(fanOut.ids[0]);
      // The match beyond the ids given gets the derived id, written by the same statement.
      expect(created[1]!.deliveryId).toBe(surplusDeliveryId(fanOut.at, fanOut.eventId, fourth.id));
      expect(isId('delivery', created[1]!.deliveryId)).toBe(true);
      const stored = await repos.webhookDeliveries.findById(customerId, created[1]!.deliveryId);
      expect(stored).toMatchObject({ endpointId: fourth.id, eventId: fanOut.eventId, payload: fanOut.payload, status: 'pending', nextAttemptAt: fanOut.at });
      expect((await repos.webhookDeliveries.list(customerId, { limit: 100 })).data).toHaveLength(2);

      // The same event again: the (event, endpoint) pair is taken.
      const twice = await repos.webhookDeliveries
        .createForMatchingEndpoints({ ...fanOutOf(customerId, null, 'instance.connected', 3), eventId: fanOut.eventId })
        .catch((e: unknown) => e);
      expect(isDomainError(twice, 'conflict')).toBe(true);
    });

    it('writes deliveries with an audit event in one step: both, or neither when the deliveries are refused', async () => {
      const { repos } = subject();
      const { customerId, endpointId } = await newEndpoint();
      const delivery = aWebhookDelivery(customerId, endpointId);
      const occurredAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      const audit = (marker: string) => ({
        customerId,
        actor: { type: 'system' as const },
        action: 'webhook_endpoint.tested',
        targetType: 'webhook_endpoint',
        targetId: endpointId,
        instanceId: null,
        data: { delivery_id: delivery.id, marker },
        occurredAt,
      });
      await repos.webhookDeliveries.createMany([delivery], audit('first'));
      expect(await repos.webhookDeliveries.findById(customerId, delivery.id)).toEqual(delivery);
      const { id: _id, ...first } = (await repos.audit.list(customerId, { limit: 10 })).data[0]!;
      expect(first).toEqual(audit('first'));

      const error = await repos.webhookDeliveries.createMany([{ ...delivery }], audit('second')).catch((e: unknown) => e);
      expect(isDomainError(error, 'conflict')).toBe(true);
      expect((await repos.audit.list(customerId, { limit: 10 })).data.map((e) => e.data)).toEqual([{ delivery_id: delivery.id, marker: 'first' }]);
    });

    it('lets exactly one of two concurrent claims win, and only the winner complete', async () => {
      const repo = subject().repos.webhookDeliveries;
      const { customerId, endpointId } = await newEndpoint();
      const delivery = aWebhookDelivery(customerId, endpointId);
      await repo.createMany([delivery]);
      const now = new Date(delivery.createdAt.getTime() + 1);
      const results = await Promise.all([repo.claim(delivery.id, claimAt(now, 'a')), repo.claim(delivery.id, claimAt(now, 'b'))]);
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
      const loser = results.find((r) => !r.claimed);
      expect(loser).toEqual({ claimed: false, retryAt: later(now, 30_000) });
      const winner = results[0]?.claimed ? 'a' : 'b';
      const loserToken = winner === 'a' ? 'b' : 'a';
      const completion = { status: 'success' as const, attemptCount: 1, nextAttemptAt: null, lastResponseStatus: 200, lastError: null, deliveredAt: now, at: now };
      expect(await repo.complete(delivery.id, loserToken, completion)).toBeNull();
      expect(await repo.complete(delivery.id, winner, completion)).toMatchObject({ status: 'success', attemptCount: 1, deliveredAt: now });
      expect(await repo.claim(delivery.id, claimAt(later(now, 60_000), 'c'))).toEqual({ claimed: false, retryAt: null });
    });

    it('hands the claim its endpoint with the sealed secrets, exactly as findStored reads it', async () => {
      const { repos } = subject();
      const { customerId, endpointId } = await newEndpoint();
      const delivery = aWebhookDelivery(customerId, endpointId);
      await repos.webhookDeliveries.createMany([delivery]);
      const claim = await repos.webhookDeliveries.claim(delivery.id, claimAt(new Date(delivery.createdAt.getTime() + 1), 'a'));
      if (!claim.claimed) throw new Error('not claimed');
      const stored = await repos.webhookEndpoints.findStored(customerId, endpointId);
      expect(stored).not.toBeNull();
      expect(claim.endpoint).toEqual(stored);
    });

    it('records an attempt with its outcome in one step, and keeps the attempt when the claim was lost', async () => {
      const repo = subject().repos.webhookDeliveries;
      const { customerId, endpointId } = await newEndpoint();
      const delivery = aWebhookDelivery(customerId, endpointId);
      await repo.createMany([delivery]);
      const now = new Date(delivery.createdAt.getTime() + 1);
      await repo.claim(delivery.id, claimAt(now, 'held'));
      const attempt = (n: number) => ({
        id: `att_${delivery.id.slice(4)}_${n}`,
        deliveryId: delivery.id,
        customerId,
        attemptNumber: n,
        startedAt: now,
        durationMs: 3,
        responseStatus: 500,
        error: null,
        responseExcerpt: 'no',
      });
      const retry = { status: 'retrying' as const, attemptCount: 1, nextAttemptAt: later(now, 5_000), lastResponseStatus: 500, lastError: 'HTTP 500', deliveredAt: null, at: now };
      expect(await repo.recordAttempt(attempt(1), 'lost', retry)).toBe(false);
      expect(await repo.findById(customerId, delivery.id)).toMatchObject({ status: 'pending', attemptCount: 0 });
      expect(await repo.recordAttempt(attempt(2), 'held', retry)).toBe(true);
      expect(await repo.findById(customerId, delivery.id)).toMatchObject({ status: 'retrying', attemptCount: 1, lastError: 'HTTP 500' });
      expect((await repo.listAttempts(customerId, delivery.id)).map((a) => a.attemptNumber)).toEqual([1, 2]);
      expect(await repo.claim(delivery.id, claimAt(later(now, 5_000), 'next'))).toMatchObject({ claimed: true });
    });

    it('lets a claim be taken again once it expired, or at once after a release', async () => {
      const repo = subject().repos.webhookDeliveries;
      const { customerId, endpointId } = await newEndpoint();
      const delivery = aWebhookDelivery(customerId, endpointId);
      await repo.createMany([delivery]);
      const now = delivery.createdAt;
      expect((await repo.claim(delivery.id, claimAt(now, 'a'))).claimed).toBe(true);
      expect((await repo.claim(delivery.id, claimAt(later(now, 29_999), 'b'))).claimed).toBe(false);
      expect((await repo.claim(delivery.id, claimAt(later(now, 30_000), 'b'))).claimed).toBe(true);
      await repo.release(delivery.id, 'a'); // not the holder: nothing happens
      expect((await repo.claim(delivery.id, claimAt(later(now, 30_001), 'c'))).claimed).toBe(false);
      await repo.release(delivery.id, 'b');
      expect((await repo.claim(delivery.id, claimAt(later(now, 30_001), 'c'))).claimed).toBe(true);
    });

    it('reports when a delivery not yet due becomes claimable', async () => {
      const repo = subject().repos.webhookDeliveries;
      const { customerId, endpointId } = await newEndpoint();
      const now = new Date();
      const delivery = aWebhookDelivery(customerId, endpointId, { status: 'retrying', nextAttemptAt: later(now, 10_000) });
      await repo.createMany([delivery]);
      expect(await repo.claim(delivery.id, claimAt(now, 'a'))).toEqual({ claimed: false, retryAt: later(now, 10_000) });
      expect(await repo.claim(newId('delivery'), claimAt(now, 'a'))).toEqual({ claimed: false, retryAt: null });
    });

    it('lists due deliveries for the sweeper: pending or retrying, due, without a live claim', async () => {
      const repo = subject().repos.webhookDeliveries;
      const { customerId, endpointId } = await newEndpoint();
      const now = new Date();
      const mk = (o: Parameters<typeof aWebhookDelivery>[2]) => aWebhookDelivery(customerId, endpointId, o);
      const due = mk({ nextAttemptAt: later(now, -5_000) });
      const retrying = mk({ status: 'retrying', nextAttemptAt: later(now, -10_000) });
      const notYet = mk({ status: 'retrying', nextAttemptAt: later(now, 5_000) });
      const done = mk({ status: 'success', nextAttemptAt: null, deliveredAt: now });
      const claimedLive = mk({ nextAttemptAt: later(now, -1_000) });
      const claimedExpired = mk({ nextAttemptAt: later(now, -60_000) });
      await repo.createMany([due, retrying, notYet, done, claimedLive, claimedExpired]);
      await repo.claim(claimedLive.id, { now: later(now, -1_000), until: later(now, 20_000), token: 'live' });
      await repo.claim(claimedExpired.id, { now: later(now, -60_000), until: later(now, -30_000), token: 'dead' });
      const mine = new Set([due, retrying, notYet, done, claimedLive, claimedExpired].map((d) => d.id));
      const ids = (await repo.listDue(now, 100_000)).map((d) => d.id).filter((id) => mine.has(id));
      expect(ids).toEqual([claimedExpired.id, retrying.id, due.id]);

      // Keyset paging: after the first of mine, the rest in the same order; after the last, none of mine.
      const first = (await repo.listDue(now, 100_000)).find((d) => d.id === claimedExpired.id)!;
      expect(first.nextAttemptAt).toEqual(claimedExpired.nextAttemptAt);
      const rest = (await repo.listDue(now, 100_000, first)).map((d) => d.id).filter((id) => mine.has(id));
      expect(rest).toEqual([retrying.id, due.id]);
      const last = (await repo.listDue(now, 100_000)).find((d) => d.id === due.id)!;
      expect((await repo.listDue(now, 100_000, last)).filter((d) => mine.has(d.id))).toEqual([]);
    });

    it('hands the sweeper the trace context stored with each due delivery', async () => {
      const repo = subject().repos.webhookDeliveries;
      const { customerId, endpointId } = await newEndpoint();
      const now = new Date();
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const traced = aWebhookDelivery(customerId, endpointId, { nextAttemptAt: later(now, -1_000), traceparent });
      const untraced = aWebhookDelivery(customerId, endpointId, { nextAttemptAt: later(now, -1_000) });
      await repo.createMany([traced, untraced]);
      const due = await repo.listDue(now, 100_000);
      expect(due.find((d) => d.id === traced.id)?.traceparent).toBe(traceparent);
      expect(due.find((d) => d.id === untraced.id)?.traceparent ?? null).toBeNull();
    });

    it("counts every customer's waiting and due deliveries and finds the oldest due one", async () => {
      const repo = subject().repos.webhookDeliveries;
      const now = new Date();
      // Other tests share the database: compare with what was there before, and make ours the oldest by far.
      const before = await repo.backlog(now);
      const first = await newEndpoint();
      const second = await newEndpoint();
      const oldest = later(now, -365 * 86_400_000);
      await repo.createMany([
        aWebhookDelivery(first.customerId, first.endpointId, { nextAttemptAt: oldest }),
        aWebhookDelivery(second.customerId, second.endpointId, { status: 'retrying', nextAttemptAt: later(now, -1_000) }),
        aWebhookDelivery(second.customerId, second.endpointId, { status: 'retrying', nextAttemptAt: later(now, 60_000) }),
        aWebhookDelivery(first.customerId, first.endpointId, { status: 'success', nextAttemptAt: null, deliveredAt: now }),
        aWebhookDelivery(first.customerId, first.endpointId, { status: 'failed', nextAttemptAt: null }),
      ]);
      const after = await repo.backlog(now);
      expect(after.waiting - before.waiting).toBe(3);
      expect(after.due - before.due).toBe(2);
      expect(after.oldestDueAt).toEqual(oldest);
    });

    it('keeps attempts oldest first, per delivery and customer', async () => {
      const repo = subject().repos.webhookDeliveries;
      const { customerId, endpointId } = await newEndpoint();
      const delivery = aWebhookDelivery(customerId, endpointId);
      await repo.createMany([delivery]);
      const attempt = (n: number) => ({
        id: newId('attempt'),
        deliveryId: delivery.id,
        customerId,
        attemptNumber: n,
        startedAt: later(delivery.createdAt, n * 1000),
        durationMs: 12,
        responseStatus: n === 1 ? null : 500,
        error: n === 1 ? 'timeout: no answer' : null,
        responseExcerpt: n === 1 ? null : 'x'.repeat(1024),
      });
      const [one, two] = [attempt(1), attempt(2)];
      await repo.appendAttempt(one);
      await repo.appendAttempt(two);
      expect(await repo.listAttempts(customerId, delivery.id)).toEqual([one, two]);
      expect(await repo.listAttempts((await newEndpoint()).customerId, delivery.id)).toEqual([]);
    });

    it('filters and pages the list, newest first', async () => {
      const { repos } = subject();
      const { customerId, endpointId } = await newEndpoint();
      const instance = await repos.instances.create(anInstance(customerId));
      const second = (await repos.webhookEndpoints.create(aWebhookEndpoint(customerId))).id;
      const a = aWebhookDelivery(customerId, endpointId, { instanceId: instance.id });
      const b = aWebhookDelivery(customerId, second, { event: 'message.sent', status: 'failed', nextAttemptAt: null });
      const c = aWebhookDelivery(customerId, endpointId, { event: 'message.sent' });
      await repos.webhookDeliveries.createMany([a, b, c]);
      const ids = async (filter: object, limit = 10, cursor: string | null = null) =>
        (await repos.webhookDeliveries.list(customerId, { limit, cursor }, filter)).data.map((d) => d.id);
      expect(await ids({})).toEqual([c.id, b.id, a.id]);
      const page = await repos.webhookDeliveries.list(customerId, { limit: 2 });
      expect(page.nextCursor).toBe(b.id);
      expect(await ids({}, 2, page.nextCursor)).toEqual([a.id]);
      expect(await ids({ status: 'failed' })).toEqual([b.id]);
      expect(await ids({ event: 'message.sent' })).toEqual([c.id, b.id]);
      expect(await ids({ instanceId: instance.id })).toEqual([a.id]);
      expect(await ids({ endpointId, event: 'message.sent' })).toEqual([c.id]);
    });

    it('replays into a new series and recovers failed deliveries since a time', async () => {
      const repo = subject().repos.webhookDeliveries;
      const { customerId, endpointId } = await newEndpoint();
      const t0 = new Date(Date.now() - 60_000);
      const failed = { status: 'failed' as const, attemptCount: 6, nextAttemptAt: null, lastError: 'HTTP 500', lastResponseStatus: 500 };
      const old = aWebhookDelivery(customerId, endpointId, { ...failed, createdAt: t0 });
      const recent = aWebhookDelivery(customerId, endpointId, { ...failed, createdAt: later(t0, 30_000) });
      const succeeded = aWebhookDelivery(customerId, endpointId, { status: 'success', createdAt: later(t0, 30_000) });
      await repo.createMany([old, recent, succeeded]);
      const at = new Date();
      expect(await repo.replayFailed(customerId, endpointId, later(t0, 1), at)).toEqual([recent.id]);
      const reset = { status: 'pending', attemptCount: 0, nextAttemptAt: at, lastError: null, lastResponseStatus: null, deliveredAt: null };
      expect(await repo.findById(customerId, recent.id)).toMatchObject(reset);
      expect(await repo.replay(customerId, old.id, at)).toMatchObject(reset);
      expect(await repo.findById(customerId, old.id)).toMatchObject(reset);
      await repo.claim(old.id, claimAt(at, 'busy'));
      expect(await repo.replay(customerId, old.id, at)).toBeNull(); // an attempt is in flight
    });

    it('prunes finished deliveries past their retention, with their attempts', async () => {
      const repo = subject().repos.webhookDeliveries;
      const { customerId, endpointId } = await newEndpoint();
      const t = new Date('2001-01-01T00:00:00.000Z'); // far older than any other test's rows
      const mk = (status: 'success' | 'failed' | 'pending', ageDays: number) =>
        aWebhookDelivery(customerId, endpointId, { status, updatedAt: later(t, -ageDays * 86_400_000) });
      const rows = [mk('success', 8), mk('success', 6), mk('failed', 31), mk('failed', 29), mk('pending', 100)];
      await repo.createMany(rows);
      const cutoffs = { successBefore: later(t, -7 * 86_400_000), failedBefore: later(t, -30 * 86_400_000) };
      expect(await repo.prune(cutoffs)).toEqual({ success: 1, failed: 1 });
      const left = (await repo.list(customerId, { limit: 10 })).data.map((d) => d.id).sort();
      expect(left).toEqual([rows[1]!.id, rows[3]!.id, rows[4]!.id].sort());
    });
  });
}
