import { afterEach, describe, expect, it, vi } from 'vitest';
import { isWhatsAppSendError, type SandboxSession, type SessionEvent } from '@whatisup/core';
import { until } from '@whatisup/test-infra';
import { createInMemorySandboxCredentialStore } from './sandbox-credential-store.js';
import { createSandboxSessionFactory } from './sandbox-session-factory.js';
import { sandboxPhoneNumber } from './sandbox-phone-number.js';

const open: SandboxSession[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((session) => session.close()));
});

function setup(timings: { autoScanMs?: number | null } = {}) {
  const store = createInMemorySandboxCredentialStore();
  const factory = createSandboxSessionFactory({
    credentials: store,
    timings: { autoScanMs: null, resumeDelayMs: 1, receiptDelayMs: 2, ...timings },
  });
  const start = (instanceId = 'inst_sandbox') => {
    const events: SessionEvent[] = [];
    const session = factory.createSession({ instanceId, listener: (event) => events.push(event) });
    open.push(session);
    return { session, events, types: () => events.map((event) => event.type) };
  };
  return { store, factory, start };
}

describe('sandbox session', () => {
  it('shows a QR, then connects with a well-formed fake number when the QR is scanned', async () => {
    const { start, factory } = setup();
    const { session, events, types } = start();
    await session.connect();
    expect(types()).toEqual(['connecting', 'qr']);
    expect(session.status).toBe('qr_required');
    await session.scan();
    expect(events.at(-1)).toEqual({ type: 'connected', phoneNumber: sandboxPhoneNumber('inst_sandbox') });
    expect(sandboxPhoneNumber('inst_sandbox')).toMatch(/^999\d{10}$/);
    expect(await factory.hasCredentials('inst_sandbox')).toBe(true);
  });

  it('scans its own QR after the configured delay', async () => {
    const { start } = setup({ autoScanMs: 5 });
    const { session, types } = start();
    await session.connect();
    await until(() => session.status === 'connected');
    expect(types()).toEqual(['connecting', 'qr', 'connected']);
  });

  it('resumes a paired instance without a QR, also from a new factory over the same store', async () => {
    const { store, start } = setup();
    const first = start();
    await first.session.connect();
    await first.session.scan();
    await first.session.close();

    const again = createSandboxSessionFactory({ credentials: store, timings: { resumeDelayMs: 1 } });
    const events: SessionEvent[] = [];
    const session = again.createSession({ instanceId: 'inst_sandbox', listener: (event) => events.push(event) });
    open.push(session);
    await session.connect();
    await until(() => session.status === 'connected');
    expect(events.map((event) => event.type)).toEqual(['connecting', 'connected']);
  });

  it('reports sent, delivered and read in that order after a send', async () => {
    const { start } = setup({ autoScanMs: 1 });
    const { session, events } = start();
    await session.connect();
    await until(() => session.status === 'connected');
    const { whatsappId } = await session.send('4915112345678', { type: 'text', text: 'hi' });
    await until(() => events.filter((event) => event.type === 'message_status').length === 3);
    const statuses = events.flatMap((event) => (event.type === 'message_status' ? [event.update] : []));
    expect(statuses.map((update) => update.status)).toEqual(['sent', 'delivered', 'read']);
    expect(statuses.every((update) => update.whatsappId === whatsappId)).toBe(true);
    expect(statuses[0]?.chatId).toBe('4915112345678@s.whatsapp.net');
  });

  it('refuses to send before connected (retryable) and to a malformed recipient (permanent)', async () => {
    const { start } = setup();
    const { session } = start();
    const early = await session.send('4915112345678', { type: 'text', text: 'hi' }).catch((error: unknown) => error);
    expect(isWhatsAppSendError(early) && early.code === 'not_connected' && early.retryable).toBe(true);
    await session.connect();
    await session.scan();
    const bad = await session.send('not-a-number', { type: 'text', text: 'hi' }).catch((error: unknown) => error);
    expect(isWhatsAppSendError(bad) && bad.code === 'invalid_recipient' && !bad.retryable).toBe(true);
  });

  it('injects an inbound image with its bytes and mime type, shaped like a Baileys message', async () => {
    const { start } = setup();
    const { session, events } = start();
    await session.connect();
    await session.scan();
    const bytes = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]);
    const message = await session.injectInbound({
      from: '4915112345678',
      pushName: 'Ada',
      content: { type: 'image', media: { data: bytes, mimeType: 'image/jpeg' }, caption: 'look' },
    });
    expect(events.at(-1)).toEqual({ type: 'message', message });
    expect(message).toMatchObject({ from: '4915112345678', chatId: '4915112345678@s.whatsapp.net', isGroup: false });
    expect(message.body.type).toBe('image');
    if (message.body.type !== 'image') return;
    expect(message.body.media).toMatchObject({ mimeType: 'image/jpeg', size: 4 });
    expect(await message.body.media.download()).toEqual(bytes);
  });

  it('refuses inbound messages while not connected', async () => {
    const { start } = setup();
    const { session } = start();
    await expect(session.injectInbound({ from: '4915112345678', content: { type: 'text', text: 'x' } })).rejects.toMatchObject({
      code: 'not_connected',
    });
  });

  it('delivers injected changes at once: a vote as message_change, a played receipt as message_status played', async () => {
    const { start } = setup();
    const { session, events } = start();
    await expect(
      session.injectChange({ from: '4915112345678', change: { type: 'revoke', target: { whatsappId: 'W1', chatId: '', fromMe: false } } }),
    ).rejects.toMatchObject({ code: 'not_connected' });
    await session.connect();
    await session.scan();
    const poll = { whatsappId: '3EB0POLL', chatId: '4915112345678@s.whatsapp.net', fromMe: true };
    const vote = await session.injectChange({ from: '4915112345678', change: { type: 'poll_vote', target: poll, selectedOptions: ['Tuesday'] } });
    expect(events.at(-1)).toEqual({
      type: 'message_change',
      change: {
        kind: 'poll_vote',
        changeId: vote.changeId,
        target: poll,
        isGroup: false,
        fromMe: false,
        author: { phoneNumber: '4915112345678', lid: '8765432115194@lid' },
        selectedOptions: ['Tuesday'],
        at: vote.at,
      },
    });
    const played = await session.injectChange({
      from: '120363000000000001@g.us',
      sender: '4915112345678',
      change: { type: 'played', target: { whatsappId: '3EB0NOTE', chatId: '', fromMe: true } },
    });
    expect(played).toMatchObject({ changeId: '3EB0NOTE', from: '4915112345678', chatId: '120363000000000001@g.us' });
    expect(events.at(-1)).toEqual({
      type: 'message_status',
      update: {
        whatsappId: '3EB0NOTE',
        chatId: '120363000000000001@g.us',
        status: 'played',
        participant: '4915112345678',
        participantIdentity: { phoneNumber: '4915112345678', lid: '8765432115194@lid' },
        at: played.at,
      },
    });
    await expect(
      session.injectChange({ from: '120363000000000001@g.us', change: { type: 'revoke', target: { whatsappId: 'W1', chatId: '', fromMe: false } } }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('emits nothing after close, even with a scan pending', async () => {
    vi.useFakeTimers();
    try {
      const { start } = setup({ autoScanMs: 5 });
      const { session, events } = start();
      await session.connect();
      await session.close();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(vi.getTimerCount()).toBe(0);
      expect(events.map((event) => event.type)).toEqual(['connecting', 'qr']);
      await expect(session.connect()).rejects.toMatchObject({ code: 'invalid_lifecycle_transition' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets the pairing on logout, so the next connect shows a QR again', async () => {
    const { start, factory } = setup();
    const { session } = start();
    await session.connect();
    await session.scan();
    await session.logout();
    expect(await factory.hasCredentials('inst_sandbox')).toBe(false);
    const next = start();
    await next.session.connect();
    expect(next.types()).toEqual(['connecting', 'qr']);
  });

  it('hands out an 8-character pairing code only while pairing', async () => {
    const { start } = setup();
    const { session } = start();
    await expect(session.requestPairingCode('4915112345678')).rejects.toMatchObject({ code: 'invalid_lifecycle_transition' });
    await session.connect();
    expect(await session.requestPairingCode('4915112345678')).toMatch(/^[A-Z0-9]{8}$/);
    await expect(session.requestPairingCode('+49 151')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
