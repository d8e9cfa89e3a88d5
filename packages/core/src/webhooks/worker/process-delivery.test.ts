import { describe, expect, it } from 'vitest';
import { createWebhookHarness } from '../../testing/webhook-harness.js';

async function oneDelivery(h = createWebhookHarness()) {
  const tenant = await h.tenantWithEndpoint();
  await h.recordEvent(tenant.principal, 'message.received');
  const [id] = h.queue.take();
  return { h, tenant, id: id! };
}

describe('processDelivery', () => {
  it('sends the stored payload signed, and marks the delivery a success', async () => {
    const { h, tenant, id } = await oneDelivery();
    expect(await h.processDelivery(id)).toBeUndefined();
    const [request] = h.receiver.requests;
    const { delivery, attempts } = await h.getDelivery(tenant.principal, { id });
    expect(request).toMatchObject({ method: 'POST', url: tenant.endpoint.url, body: delivery.payload, maxResponseBytes: 1024 });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'WhatIsUp-Webhooks/1',
      'X-WhatIsUp-Event': 'message.received',
      'X-WhatIsUp-Event-Id': delivery.eventId,
    });
    expect(delivery).toMatchObject({ status: 'success', attemptCount: 1, lastResponseStatus: 200, deliveredAt: h.clock.now() });
    expect(attempts).toMatchObject([{ attemptNumber: 1, responseStatus: 200, error: null }]);
  });

  it('retries on the whole schedule (0 s, 10 s, 1 m, 5 m, 30 m, 2 h), then fails', async () => {
    const { h, tenant, id } = await oneDelivery();
    h.receiver.answer({ status: 500, body: 'boom' });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      expect(await h.processDelivery(id)).toBeUndefined();
      const delivery = (await h.getDelivery(tenant.principal, { id })).delivery;
      if (attempt < 6) {
        expect(delivery.status).toBe('retrying');
        const [job] = h.queue.jobs.splice(0);
        delays.push(job!.delayMs!);
        expect(delivery.nextAttemptAt).toEqual(new Date(h.clock.now().getTime() + job!.delayMs!));
        h.clock.advance(job!.delayMs!);
      } else {
        expect(delivery).toMatchObject({ status: 'failed', attemptCount: 6, nextAttemptAt: null, lastResponseStatus: 500 });
        expect(h.queue.jobs).toEqual([]);
      }
    }
    expect(delays).toEqual([10_000, 60_000, 300_000, 1_800_000, 7_200_000]);
    const { attempts } = await h.getDelivery(tenant.principal, { id });
    expect(attempts.map((a) => a.attemptNumber)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(attempts[0]?.responseExcerpt).toBe('boom');
  });

  it('retries timeouts, network errors and redirects like any other failure', async () => {
    const { h, tenant, id } = await oneDelivery();
    h.receiver.answer({ fail: 'timeout' }, { status: 302 }, { status: 200 });
    await h.processDelivery(id);
    const afterTimeout = (await h.getDelivery(tenant.principal, { id })).delivery;
    expect(afterTimeout).toMatchObject({ status: 'retrying', lastResponseStatus: null });
    expect(afterTimeout.lastError).toContain('timeout');
    h.clock.advance(10_000);
    await h.processDelivery(id);
    expect((await h.getDelivery(tenant.principal, { id })).delivery).toMatchObject({ status: 'retrying', lastResponseStatus: 302 });
    h.clock.advance(60_000);
    await h.processDelivery(id);
    expect((await h.getDelivery(tenant.principal, { id })).delivery).toMatchObject({ status: 'success', attemptCount: 3 });
  });

  it('honours Retry-After on a 429, within bounds', async () => {
    const { h, tenant, id } = await oneDelivery();
    h.receiver.answer({ status: 429, headers: { 'retry-after': '120' } });
    await h.processDelivery(id);
    const { delivery } = await h.getDelivery(tenant.principal, { id });
    expect(delivery.nextAttemptAt).toEqual(new Date(h.clock.now().getTime() + 120_000));
    expect(h.queue.jobs).toEqual([{ id, delayMs: 120_000, data: { host: 'hooks.example.com' } }]);
  });

  it('disables the endpoint on 410, fails the delivery and audits it as the system', async () => {
    const { h, tenant, id } = await oneDelivery();
    h.receiver.answer({ status: 410 });
    await h.processDelivery(id);
    expect((await h.getDelivery(tenant.principal, { id })).delivery).toMatchObject({ status: 'failed', lastResponseStatus: 410 });
    expect(await h.getEndpoint(tenant.principal, { id: tenant.endpoint.id })).toMatchObject({ enabled: false, disabledReason: 'gone' });
    const [audit] = (await h.listAuditEvents(tenant.principal)).data;
    expect(audit).toMatchObject({ action: 'webhook_endpoint.disabled', actor: { type: 'system' }, targetId: tenant.endpoint.id });
    await h.recordEvent(tenant.principal, 'message.received');
    expect(h.queue.jobs).toEqual([]);
  });

  it('cannot send twice when the same delivery is processed twice at once', async () => {
    const { h, tenant, id } = await oneDelivery();
    const open = h.receiver.hold();
    const first = h.processDelivery(id);
    await new Promise((resolve) => setImmediate(resolve));
    const second = await h.processDelivery(id);
    open();
    await first;
    expect(h.receiver.requests).toHaveLength(1);
    expect(second).toEqual({ deferMs: expect.any(Number) });
    expect((await h.getDelivery(tenant.principal, { id })).attempts).toHaveLength(1);
    expect(await h.processDelivery(id)).toBeUndefined(); // done: a late duplicate is a no-op
    expect(h.receiver.requests).toHaveLength(1);
  });

  it('waits on the host without spending an attempt when the host is full, and the freed slot wakes it', async () => {
    const { h, tenant, id } = await oneDelivery(createWebhookHarness({ maxPerHost: 1 }));
    const host = new URL(tenant.endpoint.url).host;
    const taken = await h.hostGate.tryAcquire(host);
    h.queue.jobs.length = 0;
    expect(await h.processDelivery(id)).toEqual({ deferMs: 30_000 }); // only the fallback: a release wakes it
    expect(h.receiver.requests).toEqual([]);
    expect((await h.getDelivery(tenant.principal, { id })).delivery).toMatchObject({ status: 'pending', attemptCount: 0 });
    expect(await h.hostGate.release(taken!)).toEqual([id]); // the gate hands the waiting delivery to the releaser
    expect(await h.processDelivery(id)).toBeUndefined(); // the claim was released: claimable at once
    expect(h.receiver.requests).toHaveLength(1);
  });

  it('wakes the job of a delivery waiting on its host as soon as a delivery to that host frees its slot', async () => {
    const h = createWebhookHarness({ maxPerHost: 1 });
    const tenant = await h.tenantWithEndpoint();
    const host = new URL(tenant.endpoint.url).host;
    await h.recordEvent(tenant.principal, 'message.received');
    await h.recordEvent(tenant.principal, 'message.received');
    const [first, second] = h.queue.jobs.map((job) => job.id) as [string, string];
    h.queue.jobs.length = 0;
    const open = h.receiver.hold();
    const sending = h.processDelivery(first, { host });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await h.processDelivery(second, { host })).toEqual({ deferMs: 30_000 }); // host full: it waits
    expect(h.queue.jobs).toEqual([]);
    open();
    await sending;
    expect(h.queue.jobs).toContainEqual({ id: second, data: { host } });
    expect(await h.processDelivery(second, { host })).toBeUndefined();
    expect(h.receiver.requests).toHaveLength(2);
  });

  it('has the recorder put the endpoint host on each job, so the slot can be taken before the claim', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint({ url: 'https://Hooks.Example.com:8443/in' });
    await h.recordEvent(tenant.principal, 'message.received');
    expect(h.queue.jobs).toEqual([{ id: expect.stringMatching(/^dlv_/), data: { host: 'hooks.example.com:8443' } }]);
  });

  it('with a host hint, finds the host full before claiming: it waits with no claim and no attempt', async () => {
    const { h, tenant, id } = await oneDelivery(createWebhookHarness({ maxPerHost: 1 }));
    const host = new URL(tenant.endpoint.url).host;
    const taken = await h.hostGate.tryAcquire(host);
    expect(await h.processDelivery(id, { host })).toEqual({ deferMs: 30_000 });
    expect(h.receiver.requests).toEqual([]);
    expect(await h.hostGate.release(taken!)).toEqual([id]);
    // Nothing was claimed: the delivery is claimable (and sent) at once, and the slot comes back afterwards.
    expect(await h.processDelivery(id, { host })).toBeUndefined();
    expect(h.receiver.requests).toHaveLength(1);
    expect(await h.hostGate.tryAcquire(host)).not.toBeNull();
  });

  it('with a stale host hint, takes the slot of the host the endpoint has now', async () => {
    const { h, tenant, id } = await oneDelivery(createWebhookHarness({ maxPerHost: 1 }));
    const real = new URL(tenant.endpoint.url).host;
    const taken = await h.hostGate.tryAcquire(real);
    expect(await h.processDelivery(id, { host: 'old.example.com' })).toEqual({ deferMs: 30_000 });
    expect(h.receiver.requests).toEqual([]);
    expect(await h.hostGate.tryAcquire('old.example.com')).not.toBeNull(); // the stale slot was given back
    expect(await h.hostGate.release(taken!)).toEqual([id]);
    expect(await h.processDelivery(id)).toBeUndefined();
    expect(h.receiver.requests).toHaveLength(1);
  });

  it('defers a delivery woken before it is due, until it is due', async () => {
    const { h, id } = await oneDelivery();
    h.receiver.answer({ status: 500 });
    await h.processDelivery(id);
    expect(await h.processDelivery(id)).toEqual({ deferMs: 10_000 });
    expect(h.receiver.requests).toHaveLength(1);
  });

  it('fails without a request when the endpoint was disabled meanwhile', async () => {
    const { h, tenant, id } = await oneDelivery();
    await h.updateEndpoint(tenant.principal, { id: tenant.endpoint.id, enabled: false });
    await h.processDelivery(id);
    expect(h.receiver.requests).toEqual([]);
    const { delivery } = await h.getDelivery(tenant.principal, { id });
    expect(delivery.status).toBe('failed');
    expect(delivery.lastError).toContain('disabled');
  });

  it('does nothing for a delivery whose endpoint was deleted (its deliveries go with it)', async () => {
    const { h, tenant, id } = await oneDelivery();
    await h.deleteEndpoint(tenant.principal, { id: tenant.endpoint.id });
    expect(await h.processDelivery(id)).toBeUndefined();
    expect(h.receiver.requests).toEqual([]);
  });
});
