import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { until } from '@whatisup/test-infra';
import { createHarness, FAST_TUNING, makeDataDir } from './session-harness.js';

let data: Awaited<ReturnType<typeof makeDataDir>>;
beforeEach(async () => {
  data = await makeDataDir();
});
afterEach(async () => {
  vi.useRealTimers();
  await data.cleanup();
});

/**
 * Only the session's own timers run on the fake clock (`until` and file I/O keep real time), so a test can
 * let every pending reconnect, pairing or stability timer come due at once instead of sleeping past it.
 */
const fakeSessionTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

async function connectedSession(tuning = {}) {
  const harness = createHarness(data.dir, tuning);
  const session = harness.open();
  await session.connect();
  await until(() => harness.fake.sockets.length === 1);
  harness.fake.last().emit('creds.update', { me: { id: '4915112345678:3@s.whatsapp.net' } });
  harness.fake.last().open();
  await until(() => session.status === 'connected');
  return { harness, session, credsDir: join(data.dir, 'sessions', 'inst_TEST') };
}

describe('a Baileys session reacting to disconnects', () => {
  it('reports connecting, then connected with the phone number', async () => {
    const { harness, session } = await connectedSession();
    expect(harness.events).toEqual([{ type: 'connecting' }, { type: 'connected', phoneNumber: '4915112345678' }]);
    await session.close();
  });

  it('passes rotating QRs through and asks Baileys for a quiet, history-free socket', async () => {
    const harness = createHarness(data.dir);
    const session = harness.open();
    await session.connect();
    harness.fake.last().showQr('qr-1');
    harness.fake.last().showQr('qr-2');
    expect(harness.events.filter((e) => e.type === 'qr')).toEqual([{ type: 'qr', qr: 'qr-1' }, { type: 'qr', qr: 'qr-2' }]);
    expect(session.status).toBe('qr_required');
    const config = harness.fake.last().config;
    expect(config.markOnlineOnConnect).toBe(false);
    expect(config.syncFullHistory).toBe(false);
    // Left to Baileys' default (skip FULL only): disabling every sync loses the initial LID mappings.
    expect(config.shouldSyncHistoryMessage).toBeUndefined();
    expect(typeof config.getMessage).toBe('function');
    await session.close();
  });

  it('goes disconnected with reason logout and wipes the credentials on 401', async () => {
    const { harness, session, credsDir } = await connectedSession();
    expect(existsSync(join(credsDir, 'creds.json'))).toBe(true);
    harness.fake.last().close(401);
    await until(() => harness.types().includes('disconnected'));
    expect(harness.events.at(-1)).toEqual({ type: 'disconnected', reason: 'logout' });
    await until(() => !existsSync(credsDir));
    expect(await harness.factory.hasCredentials('inst_TEST')).toBe(false);
    expect(session.status).toBe('disconnected');
    await session.close();
  });

  it('goes disconnected with kicked_other_device on 440 and does not reconnect', async () => {
    const { harness, session } = await connectedSession();
    await until(() => harness.factory.hasCredentials('inst_TEST')); // saved before the close, so a wipe would show
    fakeSessionTimers();
    harness.fake.last().close(440);
    // Any reconnect would be due within the longest backoff; reconnecting would leave the status `connecting`.
    await vi.advanceTimersByTimeAsync(FAST_TUNING.backoff!.maxDelayMs * 2);
    vi.useRealTimers();
    await until(() => harness.types().includes('disconnected'));
    expect(harness.events.at(-1)).toEqual({ type: 'disconnected', reason: 'kicked_other_device' });
    expect(session.status).toBe('disconnected');
    expect(harness.fake.sockets).toHaveLength(1);
    expect(await harness.factory.hasCredentials('inst_TEST')).toBe(true);
    await session.close();
  });

  it('goes disconnected with session_invalidated on 500', async () => {
    const { harness, session } = await connectedSession();
    harness.fake.last().close(500);
    await until(() => harness.types().includes('disconnected'));
    expect(harness.events.at(-1)).toEqual({ type: 'disconnected', reason: 'session_invalidated' });
    expect(harness.fake.sockets).toHaveLength(1);
    await session.close();
  });

  it('reconnects at once, without a reconnecting event, on 515 restart required', async () => {
    const { harness, session } = await connectedSession();
    harness.fake.last().close(515);
    await until(() => harness.fake.sockets.length === 2);
    expect(harness.types()).not.toContain('reconnecting');
    expect(harness.events.at(-1)).toEqual({ type: 'connecting' });
    harness.fake.last().open();
    await until(() => session.status === 'connected');
    await session.close();
  });

  it.each([408, 428, 503])('reconnects with growing delays after %i', async (code) => {
    const { harness, session } = await connectedSession({ stableAfterMs: 10_000 });
    for (let i = 1; i <= 3; i++) {
      harness.fake.last().close(code);
      await until(() => harness.fake.sockets.length === i + 1);
    }
    const delays = harness.events.flatMap((e) => (e.type === 'reconnecting' ? [e.delayMs] : []));
    expect(delays).toEqual([10, 20, 40]);
    expect(harness.events.filter((e) => e.type === 'reconnecting').map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    await session.close();
  });

  it('caps the backoff delay', async () => {
    const { harness, session } = await connectedSession({ stableAfterMs: 10_000 });
    for (let i = 1; i <= 6; i++) {
      harness.fake.last().close(408);
      await until(() => harness.fake.sockets.length === i + 1);
    }
    const delays = harness.events.flatMap((e) => (e.type === 'reconnecting' ? [e.delayMs] : []));
    expect(delays).toEqual([10, 20, 40, 80, 80, 80]);
    await session.close();
  });

  it('starts the backoff over after a stable connection', async () => {
    const { harness, session } = await connectedSession({ stableAfterMs: 20 });
    harness.fake.last().close(408);
    await until(() => harness.fake.sockets.length === 2);
    fakeSessionTimers();
    harness.fake.last().open();
    await vi.advanceTimersByTimeAsync(20); // stableAfterMs: the attempt counter starts over
    vi.useRealTimers();
    harness.fake.last().close(408);
    await until(() => harness.fake.sockets.length === 3);
    const delays = harness.events.flatMap((e) => (e.type === 'reconnecting' ? [e.delayMs] : []));
    expect(delays).toEqual([10, 10]);
    await session.close();
  });

  it('stops pairing after the deadline with reason pairing_timeout', async () => {
    const harness = createHarness(data.dir, { pairingTimeoutMs: 30 });
    const session = harness.open();
    await session.connect();
    harness.fake.last().showQr('qr-1');
    await until(() => harness.types().includes('disconnected'));
    expect(harness.events.at(-1)).toEqual({ type: 'disconnected', reason: 'pairing_timeout' });
    expect(harness.fake.last().ended).toBe(true);
    await session.close();
  });

  it('emits nothing and schedules nothing after close, even when a retry was pending', async () => {
    const { harness, session } = await connectedSession({ backoff: { initialDelayMs: 30, maxDelayMs: 30, jitter: 0 } });
    fakeSessionTimers();
    harness.fake.last().close(408);
    expect(harness.types()).toContain('reconnecting');
    await session.close();
    const seen = harness.events.length;
    await vi.advanceTimersByTimeAsync(60); // past the pending retry's 30 ms
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
    expect(harness.fake.sockets).toHaveLength(1);
    expect(harness.events).toHaveLength(seen);
    expect(session.status).toBe('closed');
    await expect(session.connect()).rejects.toMatchObject({ code: 'invalid_lifecycle_transition' });
  });

  it('logs out on WhatsApp, wipes the credentials and stays silent on logout()', async () => {
    const { harness, session, credsDir } = await connectedSession();
    const seen = harness.events.length;
    await session.logout();
    expect(harness.fake.last().loggedOut).toBe(true);
    expect(existsSync(credsDir)).toBe(false);
    expect(harness.events).toHaveLength(seen);
  });

  it('hands out a pairing code once the socket showed a QR', async () => {
    const harness = createHarness(data.dir);
    const session = harness.open();
    await expect(session.requestPairingCode('4915112345678')).rejects.toMatchObject({ code: 'invalid_lifecycle_transition' });
    await session.connect();
    await expect(session.requestPairingCode('+49 151')).rejects.toMatchObject({ code: 'invalid_input' });
    const pending = session.requestPairingCode('4915112345678');
    await until(() => harness.fake.sockets.length === 1);
    harness.fake.last().showQr('qr-1');
    await expect(pending).resolves.toBe('ABCD1234');
    expect(harness.fake.last().pairingRequests).toEqual(['4915112345678']);
    expect(harness.events.at(-1)).toEqual({ type: 'pairing_code', code: 'ABCD1234' });
    await session.close();
  });
});
