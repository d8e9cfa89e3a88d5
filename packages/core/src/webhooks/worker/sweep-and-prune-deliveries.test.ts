import { describe, expect, it } from 'vitest';
import { createWebhookHarness } from '../../testing/webhook-harness.js';

describe('sweepDueDeliveries', () => {
  it('re-enqueues a due delivery whose job was lost (crash before enqueue, Redis flushed)', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint();
    await h.recordEvent(tenant.principal, 'message.received');
    const [lost] = h.queue.take(); // the job never reaches a worker
    expect(await h.sweep()).toBe(1);
    expect(h.queue.take()).toEqual([lost]);
    await h.processDelivery(lost!);
    expect((await h.getDelivery(tenant.principal, { id: lost! })).delivery.status).toBe('success');
    expect(await h.sweep()).toBe(0);
  });

  it('walks a backlog larger than its pages across sweeps, so nothing behind it is hidden', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint();
    for (let i = 0; i < 5; i++) {
      await h.recordEvent(tenant.principal, 'message.received');
      h.clock.advance(1);
    }
    const all = h.queue.take(); // every job lost
    const seen: string[] = [];
    // Pages of 2, one page per sweep: 2 + 2 + 1, then it starts over from the most overdue.
    for (const expected of [2, 2, 1, 2]) {
      expect(await h.sweep({ limit: 2, maxPages: 1 })).toBe(expected);
      seen.push(...h.queue.take());
    }
    expect(seen.slice(0, 5)).toEqual(all);
    expect(seen.slice(5)).toEqual(all.slice(0, 2));
    expect(await h.sweep({ limit: 2 })).toBe(3); // continues where it stopped, to the end
    expect(await h.sweep({ limit: 2 })).toBe(5); // then, with pages enough, the whole backlog in one sweep
  });

  it('leaves a retrying delivery alone until it is due', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint();
    await h.recordEvent(tenant.principal, 'message.received');
    const [id] = h.queue.take();
    h.receiver.answer({ status: 503 });
    await h.processDelivery(id!);
    h.queue.take();
    h.clock.advance(9_999);
    expect(await h.sweep()).toBe(0);
    h.clock.advance(1);
    expect(await h.sweep()).toBe(1);
  });

  it('re-drives a delivery whose worker died mid-attempt once the claim expires', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint();
    await h.recordEvent(tenant.principal, 'message.received');
    const [id] = h.queue.take();
    const now = h.clock.now();
    const claim = await h.repos.webhookDeliveries.claim(id!, { now, until: new Date(now.getTime() + 50_000), token: 'dead-worker' });
    expect(claim.claimed).toBe(true);
    expect(await h.sweep()).toBe(0);
    h.clock.advance(50_000);
    expect(await h.sweep()).toBe(1);
    await h.processDelivery(id!);
    expect(h.receiver.requests).toHaveLength(1);
    expect((await h.getDelivery(tenant.principal, { id: id! })).delivery.status).toBe('success');
  });
});

describe('pruneDeliveries', () => {
  it('deletes successes after 7 days and failures after 30, never pending ones', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint();
    for (let i = 0; i < 3; i++) await h.recordEvent(tenant.principal, 'message.received');
    const [ok, bad, waiting] = h.queue.take();
    await h.processDelivery(ok!);
    h.receiver.answer({ status: 410 });
    await h.processDelivery(bad!);
    h.clock.advance(7 * 86_400_000);
    expect(await h.prune()).toEqual({ success: 0, failed: 0 });
    h.clock.advance(1);
    expect(await h.prune()).toEqual({ success: 1, failed: 0 });
    h.clock.advance(23 * 86_400_000);
    expect(await h.prune()).toEqual({ success: 0, failed: 1 });
    const left = await h.listDeliveries(tenant.principal);
    expect(left.data.map((d) => d.id)).toEqual([waiting]);
  });
});
