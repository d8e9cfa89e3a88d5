import { describe, expect, it } from 'vitest';
import { createSessionHarness as createCoreSessionHarness } from '@whatisup/core/testing';
import { until } from '@whatisup/test-infra';
import { createInMemorySandboxCredentialStore } from './sandbox-credential-store.js';
import { createSandboxSessionFactory } from './sandbox-session-factory.js';

/** Core's session manager harness with the real simulated phone (tiny delays) for `sandbox` instances. */
function createSessionHarness(options: { maxSessions?: number; autoScanMs?: number | null } = {}) {
  const sandboxStore = createInMemorySandboxCredentialStore();
  const harness = createCoreSessionHarness({
    ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
    sandbox: ({ clock }) =>
      createSandboxSessionFactory({
        credentials: sandboxStore,
        clock,
        timings: { autoScanMs: options.autoScanMs ?? null, resumeDelayMs: 1, receiptDelayMs: 1 },
      }),
  });
  return { ...harness, sandboxStore };
}

const activeTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('session manager with a sandbox instance', () => {
  it('goes pending → qr_required (qr.updated) → connected (instance.connected with its phone number)', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('sandbox');
    expect(await h.status(instance.id)).toBe('pending');

    const qr = await manager.getQr(h.principal, instance.id);
    expect(qr.raw).toMatch(/^2@SANDBOX/);
    expect(qr.pngDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(await h.status(instance.id)).toBe('qr_required');
    expect(h.eventsOf(instance.id).map((e) => e.event)).toEqual(['qr.updated']);
    expect(h.eventsOf(instance.id)[0]?.data).toEqual({ qr: qr.raw, png_data_url: qr.pngDataUrl });

    await manager.sandboxScan(h.principal, instance.id);
    await until(async () => (await h.status(instance.id)) === 'connected');
    const connected = h.eventsOf(instance.id).at(-1);
    expect(connected?.event).toBe('instance.connected');
    expect(connected?.data['phone_number']).toMatch(/^999\d{10}$/);
    const found = await h.uow.repos.instances.findById(h.customer.id, instance.id);
    expect(found?.phoneNumber).toBe(connected?.data['phone_number']);
  });

  it('audits the request with the acting key and what the session did as system, without the QR', async () => {
    const h = createSessionHarness({ autoScanMs: 1 });
    const manager = h.startManager();
    const instance = await h.newInstance('sandbox');
    await manager.connect(h.principal, instance.id);
    await until(async () => (await h.status(instance.id)) === 'connected');
    const rows = await h.audit(instance.id);
    expect(rows.map((row) => [row.actor.type, row.data['from'], row.data['to']])).toEqual([
      ['api_key', 'pending', 'connecting'],
      ['system', 'connecting', 'qr_required'],
      ['system', 'qr_required', 'connected'],
    ]);
    expect(JSON.stringify(rows)).not.toContain('SANDBOX');
  });

  it('resumes the instance connected after a restart (new manager, same stores), without a QR', async () => {
    const h = createSessionHarness({ autoScanMs: 1 });
    const first = h.startManager();
    const instance = await h.newInstance('sandbox');
    await first.connect(h.principal, instance.id);
    await until(async () => (await h.status(instance.id)) === 'connected');
    await first.closeAll();
    const qrsBefore = h.eventsOf(instance.id).filter((e) => e.event === 'qr.updated').length;

    const second = h.startManager();
    const report = await second.resumeAll();
    expect(report.resumed).toEqual([instance.id]);
    await until(async () => (await h.status(instance.id)) === 'connected');
    expect(h.eventsOf(instance.id).filter((e) => e.event === 'qr.updated')).toHaveLength(qrsBefore);
    expect(h.eventsOf(instance.id).at(-1)?.event).toBe('instance.connected');
    await expect(second.getQr(h.principal, instance.id)).rejects.toMatchObject({ code: 'no_qr' });
  });

  it('hands inbound messages and send receipts to the injected handlers', async () => {
    const h = createSessionHarness({ autoScanMs: 1 });
    const manager = h.startManager();
    const instance = await h.newInstance('sandbox');
    await manager.connect(h.principal, instance.id);
    await until(async () => (await h.status(instance.id)) === 'connected');

    const message = await manager.sandboxInbound(h.principal, instance.id, {
      from: '4915112345678',
      content: { type: 'text', text: 'hello' },
    });
    await until(() => h.inbound.length === 1);
    expect(h.inbound[0]).toEqual(message);

    const { whatsappId } = await manager.send({ customerId: h.customer.id, id: instance.id }, '4915112345678', {
      type: 'text',
      text: 'hi back',
    });
    await until(() => h.statuses.length === 3);
    expect(h.statuses.map((update) => [update.whatsappId, update.status])).toEqual([
      [whatsappId, 'sent'],
      [whatsappId, 'delivered'],
      [whatsappId, 'read'],
    ]);
  });

  it('refuses sandbox controls on a whatsapp instance and inbound before connecting', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const real = await h.newInstance('whatsapp');
    await expect(manager.sandboxScan(h.principal, real.id)).rejects.toMatchObject({ code: 'invalid_input' });
    const sandbox = await h.newInstance('sandbox');
    await expect(
      manager.sandboxInbound(h.principal, sandbox.id, { from: '4915112345678', content: { type: 'text', text: 'x' } }),
    ).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('stops and logs out on deletion, so the pairing is gone and late steps do nothing', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('sandbox');
    await manager.getQr(h.principal, instance.id);
    await manager.sandboxScan(h.principal, instance.id);
    await until(async () => (await h.status(instance.id)) === 'connected');
    expect(await h.sandboxStore.list()).toEqual([instance.id]);

    await manager.stop(instance.id, { logout: true });
    expect(manager.isLive(instance.id)).toBe(false);
    expect(await h.sandboxStore.list()).toEqual([]);
    expect(manager.stats().live).toBe(0);
  });

  it('closeAll closes every session without logging out and leaves no timer behind', async () => {
    const baseline = activeTimers();
    const h = createSessionHarness({ autoScanMs: 60_000 });
    const manager = h.startManager();
    const pairing = await h.newInstance('sandbox');
    const waiting = manager.getQr(h.principal, pairing.id, { waitMs: 60_000 });
    await waiting;
    const pendingQr = manager.getQr(h.principal, (await h.newInstance('sandbox')).id, { waitMs: 60_000 });
    const resuming = manager.resumeAll();
    await manager.closeAll();
    await expect(pendingQr).rejects.toMatchObject({ code: expect.stringMatching(/unavailable/) });
    await resuming;
    expect(activeTimers()).toBeLessThanOrEqual(baseline);
    expect(manager.stats().live).toBe(0);
    await expect(manager.connect(h.principal, pairing.id)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('answers an injection once the session has handled what it injected', async () => {
    const h = createSessionHarness({ autoScanMs: 1 });
    const handled: string[] = [];
    let finish!: () => void;
    const slow = new Promise<void>((resolve) => (finish = resolve));
    const manager = h.startManager({
      // The call's handler takes a while (a database round trip, say): the injection must wait for it.
      onCall: async (_instance, call) => {
        await slow;
        handled.push(call.callId);
      },
    });
    const instance = await h.newInstance('sandbox');
    await manager.connect(h.principal, instance.id);
    await until(async () => (await h.status(instance.id)) === 'connected');
    let answered = false;
    const injecting = manager.sandboxEvent(h.principal, instance.id, { kind: 'call', from: '4915112345678', isVideo: false }).then((call) => ((answered = true), call));
    await h.settled();
    const answeredBeforeHandled = answered;
    finish();
    expect(answeredBeforeHandled).toBe(false);
    const call = await injecting;
    expect(handled).toEqual(['callId' in call ? call.callId : 'no call']);
  });
});

