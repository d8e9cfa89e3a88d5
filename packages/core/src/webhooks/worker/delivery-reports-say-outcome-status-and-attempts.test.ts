import { describe, expect, it } from 'vitest';
import { createWebhookHarness } from '../../testing/webhook-harness.js';
import type { DeliveryReport } from './delivery-observer.js';

async function reportingHarness() {
  const reports: DeliveryReport[] = [];
  const h = createWebhookHarness({ onReport: (report) => reports.push(report) });
  const tenant = await h.tenantWithEndpoint();
  await h.recordEvent(tenant.principal, 'message.received');
  const [id] = h.queue.take();
  return { h, tenant, id: id!, reports };
}

/** The bounded facts of each report (what metrics may use), without which delivery it names. */
const factsOf = (reports: DeliveryReport[]) => reports.map(({ delivery: _delivery, error: _error, ...facts }) => facts);

describe('delivery reports', () => {
  it('say each outcome with its status, the attempts so far, and the time since the event on success', async () => {
    const { h, id, reports } = await reportingHarness();
    h.receiver.answer({ status: 503 }, { fail: 'timeout' }, { status: 204 });
    await h.processDelivery(id);
    h.clock.advance(10_000);
    await h.processDelivery(id);
    h.clock.advance(60_000);
    await h.processDelivery(id);
    expect(factsOf(reports)).toEqual([
      { outcome: 'retry', responseStatus: 503, attempts: 1, final: false, sinceEventMs: 0 },
      { outcome: 'retry', responseStatus: null, attempts: 2, final: false, sinceEventMs: 10_000 },
      { outcome: 'success', responseStatus: 204, attempts: 3, final: true, sinceEventMs: 70_000 },
    ]);
    expect(reports[1]).toMatchObject({ delivery: { id, event: 'message.received' }, error: expect.stringMatching(/^timeout/) });
  });

  it('say disabled on a 410, and failed without an attempt when the endpoint was disabled meanwhile', async () => {
    const { h, id, reports } = await reportingHarness();
    h.receiver.answer({ status: 410 });
    await h.processDelivery(id);
    expect(factsOf(reports)).toEqual([{ outcome: 'disabled', responseStatus: 410, attempts: 1, final: true, sinceEventMs: 0 }]);

    const other = await reportingHarness();
    await other.h.updateEndpoint(other.tenant.principal, { id: other.tenant.endpoint.id, enabled: false });
    await other.h.processDelivery(other.id);
    expect(other.h.receiver.requests).toEqual([]);
    expect(factsOf(other.reports)).toEqual([{ outcome: 'failed', responseStatus: null, attempts: 0, final: true, sinceEventMs: 0 }]);
  });

  it('never fail a delivery when the observer throws', async () => {
    const h = createWebhookHarness({
      onReport: () => {
        throw new Error('observer broke');
      },
    });
    const tenant = await h.tenantWithEndpoint();
    await h.recordEvent(tenant.principal, 'message.received');
    const [id] = h.queue.take();
    expect(await h.processDelivery(id!)).toBeUndefined();
    expect((await h.getDelivery(tenant.principal, { id: id! })).delivery.status).toBe('success');
  });
});
