import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/fixtures.js';
import { createSessionHarness } from '../testing/session-manager-harness.js';
import { until } from '../testing/wait.js';

describe('session manager requests and session events', () => {
  it('refuses logout and restart of a pending instance as invalid_lifecycle_transition', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('whatsapp');
    await expect(manager.logout(h.principal, instance.id)).rejects.toMatchObject({ code: 'invalid_lifecycle_transition' });
    await expect(manager.restart(h.principal, instance.id)).rejects.toMatchObject({ code: 'invalid_lifecycle_transition' });
    expect(h.whatsapp.sessions).toHaveLength(0);
  });

  it('refuses connect when already connected, and answers a QR request with no_qr', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('whatsapp');
    await manager.connect(h.principal, instance.id);
    h.whatsapp.latest(instance.id).emit({ type: 'connected', phoneNumber: '4915100000001' });
    await until(async () => (await h.status(instance.id)) === 'connected');
    await expect(manager.connect(h.principal, instance.id)).rejects.toMatchObject({ code: 'invalid_lifecycle_transition' });
    await expect(manager.getQr(h.principal, instance.id)).rejects.toMatchObject({ code: 'no_qr' });
  });

  it('is idempotent while pairing: a second connect starts no second socket', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('whatsapp');
    await Promise.all([manager.connect(h.principal, instance.id), manager.connect(h.principal, instance.id)]);
    await manager.connect(h.principal, instance.id);
    expect(h.whatsapp.sessions).toHaveLength(1);
  });

  it('answers a waiting QR request when the QR arrives, and with no_qr when the session connects instead', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const pairing = await h.newInstance('whatsapp');
    const waiting = manager.getQr(h.principal, pairing.id);
    await until(() => h.whatsapp.sessions.length === 1);
    h.whatsapp.latest(pairing.id).emit({ type: 'qr', qr: '2@abc' });
    expect((await waiting).raw).toBe('2@abc');

    const resuming = await h.newInstance('whatsapp');
    const noQr = manager.getQr(h.principal, resuming.id);
    await until(() => h.whatsapp.sessions.length === 2);
    h.whatsapp.latest(resuming.id).emit({ type: 'connected', phoneNumber: '4915100000002' });
    await expect(noQr).rejects.toMatchObject({ code: 'no_qr' });
  });

  it('shows the next QR after a network drop while pairing, as qr.updated and on GET /qr', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('whatsapp');
    await manager.connect(h.principal, instance.id);
    const session = h.whatsapp.latest(instance.id);
    session.emit({ type: 'qr', qr: '2@first' });
    await until(async () => (await h.status(instance.id)) === 'qr_required');
    session.emit({ type: 'reconnecting', attempt: 1, delayMs: 1000, reason: 'timed_out' });
    await until(async () => (await h.status(instance.id)) === 'reconnecting');
    session.emit({ type: 'connecting' });
    session.emit({ type: 'qr', qr: '2@second' });
    await until(async () => (await h.status(instance.id)) === 'qr_required');
    expect((await manager.getQr(h.principal, instance.id)).raw).toBe('2@second');
    const qrs = (await h.eventsOf(instance.id)).filter((event) => event.event === 'qr.updated').map((event) => event.data.qr);
    expect(qrs).toEqual(['2@first', '2@second']);
  });

  it('gives up waiting for a QR with unavailable after the wait', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('whatsapp');
    await expect(manager.getQr(h.principal, instance.id, { waitMs: 10 })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('records reconnecting without an event and a terminal disconnect as instance.disconnected with its reason', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('whatsapp');
    await manager.connect(h.principal, instance.id);
    const session = h.whatsapp.latest(instance.id);
    session.emit({ type: 'connected', phoneNumber: '4915100000003' });
    session.emit({ type: 'reconnecting', attempt: 1, delayMs: 1000, reason: 'connection_lost' });
    await until(async () => (await h.status(instance.id)) === 'reconnecting');
    session.emit({ type: 'disconnected', reason: 'kicked_other_device' });
    await until(async () => (await h.status(instance.id)) === 'disconnected');
    expect(h.eventsOf(instance.id).map((e) => [e.event, e.data])).toEqual([
      ['instance.connected', { phone_number: '4915100000003' }],
      ['instance.disconnected', { reason: 'kicked_other_device' }],
    ]);
    expect(manager.isLive(instance.id)).toBe(false);
    expect(session.calls).toContain('close');
  });

  it('logs out: disconnected with reason logout, audited with the acting key, credentials wiped', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('whatsapp');
    await manager.connect(h.principal, instance.id);
    const session = h.whatsapp.latest(instance.id);
    session.emit({ type: 'connected', phoneNumber: '4915100000004' });
    await until(async () => (await h.status(instance.id)) === 'connected');

    const after = await manager.logout(h.principal, instance.id);
    expect(after).toMatchObject({ status: 'disconnected', statusReason: 'logout' });
    expect(session.calls.at(-1)).toBe('logout');
    expect(h.whatsapp.credentials.has(instance.id)).toBe(false);
    expect(h.eventsOf(instance.id).at(-1)).toMatchObject({ event: 'instance.disconnected', data: { reason: 'logout' } });
    const last = (await h.audit(instance.id)).at(-1);
    expect(last).toMatchObject({ actor: { type: 'api_key', keyId: h.principal.keyId }, data: { to: 'disconnected' } });
    await expect(manager.logout(h.principal, instance.id)).rejects.toMatchObject({ code: 'invalid_lifecycle_transition' });
  });

  it('ignores a late event from a session it stopped, so it cannot revive the instance', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('whatsapp');
    await manager.connect(h.principal, instance.id);
    const session = h.whatsapp.latest(instance.id);
    await manager.logout(h.principal, instance.id);
    session.emit({ type: 'qr', qr: 'late' });
    session.emit({ type: 'connected', phoneNumber: '4915100000009' });
    await h.settled();
    expect(await h.status(instance.id)).toBe('disconnected');
    expect(h.eventsOf(instance.id).map((event) => event.event)).toEqual(['instance.disconnected']);
  });

  it('restarts a connected instance: closes without logout, reconnecting, then connected again', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('whatsapp');
    await manager.connect(h.principal, instance.id);
    const first = h.whatsapp.latest(instance.id);
    first.emit({ type: 'connected', phoneNumber: '4915100000005' });
    await until(async () => (await h.status(instance.id)) === 'connected');

    expect(await manager.restart(h.principal, instance.id)).toMatchObject({ status: 'reconnecting', statusReason: 'restart' });
    expect(first.calls).toEqual(['connect', 'close']);
    const second = h.whatsapp.latest(instance.id);
    expect(second).not.toBe(first);
    second.emit({ type: 'connected', phoneNumber: '4915100000005' });
    await until(async () => (await h.status(instance.id)) === 'connected');
  });

  it('refuses a session beyond maxSessions with worker_at_capacity, and frees the slot on stop', async () => {
    const h = createSessionHarness({ maxSessions: 1 });
    const manager = h.startManager();
    const one = await h.newInstance('whatsapp');
    const two = await h.newInstance('sandbox');
    await manager.connect(h.principal, one.id);
    await expect(manager.connect(h.principal, two.id)).rejects.toMatchObject({ code: 'worker_at_capacity' });
    expect(await h.status(two.id)).toBe('pending');
    await manager.stop(one.id, { logout: false });
    await manager.connect(h.principal, two.id);
    expect(manager.stats()).toEqual({ live: 1, max: 1 });
  });

  it('resumes only instances with credentials, staggered within capacity, and invalidates the rest', async () => {
    const h = createSessionHarness({ maxSessions: 2 });
    const paired = await Promise.all([1, 2, 3].map(() => h.newInstance('whatsapp', { status: 'connected' })));
    const lost = await h.newInstance('whatsapp', { status: 'reconnecting' });
    const waiting = await h.newInstance('whatsapp', { status: 'qr_required' });
    for (const instance of paired) h.whatsapp.credentials.add(instance.id);

    const manager = h.startManager();
    const report = await manager.resumeAll();
    expect(report.resumed).toHaveLength(2);
    expect(report.skipped).toHaveLength(1);
    expect(report.invalidated).toEqual([lost.id]);
    expect(await h.status(lost.id)).toBe('disconnected');
    expect(await h.status(waiting.id)).toBe('qr_required');
    for (const id of report.resumed) {
      expect(await h.status(id)).toBe('reconnecting');
      expect(h.whatsapp.latest(id).calls).toEqual(['connect']);
    }
  });

  it('keeps another customer and other bound keys out', async () => {
    const h = createSessionHarness();
    const manager = h.startManager();
    const instance = await h.newInstance('whatsapp');
    const stranger = aPrincipal('cust_someone_else');
    await expect(manager.connect(stranger, instance.id)).rejects.toMatchObject({ code: 'not_found' });
    const narrow = aPrincipal(h.customer.id, { instanceId: 'inst_another' });
    await expect(manager.getQr(narrow, instance.id)).rejects.toMatchObject({ code: 'forbidden' });
    expect(h.whatsapp.sessions).toHaveLength(0);
  });
});
