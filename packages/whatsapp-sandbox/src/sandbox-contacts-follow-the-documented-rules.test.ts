import { afterEach, describe, expect, it } from 'vitest';
import { isWhatsAppSendError, type SandboxSession, type SessionEvent } from '@whatisup/core';
import { until } from '@whatisup/test-infra';
import { createInMemorySandboxCredentialStore } from './sandbox-credential-store.js';
import { createSandboxSessionFactory } from './sandbox-session-factory.js';

const open: SandboxSession[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((session) => session.close()));
});

async function connected() {
  const factory = createSandboxSessionFactory({
    credentials: createInMemorySandboxCredentialStore(),
    timings: { autoScanMs: null, resumeDelayMs: 1, receiptDelayMs: 2 },
  });
  const events: SessionEvent[] = [];
  const session = factory.createSession({ instanceId: 'inst_rules', listener: (event) => events.push(event) });
  open.push(session);
  await session.connect();
  await session.scan();
  return { session, events };
}

describe('the sandbox directory', () => {
  it('says a number exists unless it ends in 0, with its digits reversed as its LID', async () => {
    const { session } = await connected();
    expect(await session.directory.checkNumbers(['4915112345678', '4915112345670'])).toEqual([
      { phoneNumber: '4915112345678', exists: true, jid: '4915112345678@s.whatsapp.net', lid: '8765432115194@lid' },
      { phoneNumber: '4915112345670', exists: false, jid: null, lid: null },
    ]);
    expect(await session.directory.phoneNumberOfLid('8765432115194@lid')).toBe('4915112345678');
    expect(await session.directory.phoneNumberOfLid('0765432115194@lid')).toBeNull();
  });

  it('makes numbers ending in 9 businesses, hides the picture of those ending in 8, and never answers about …7777', async () => {
    const { session } = await connected();
    expect(await session.directory.contact('4915112345679')).toMatchObject({ isBusiness: true, lid: '9765432115194@lid' });
    expect(await session.directory.businessProfile('4915112345671')).toBeNull();
    expect(await session.directory.profilePicture('4915112345671')).toMatchObject({ kind: 'bytes', mimeType: 'image/png' });
    expect(await session.directory.profilePicture('4915112345678')).toBeNull();
    let settled = false;
    void session.directory.contact('4915112347777').finally(() => (settled = true));
    await session.directory.contact('4915112345671');
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
  });

  it('blocks and unblocks through perform, and refuses both while not connected', async () => {
    const { session } = await connected();
    await session.perform({ type: 'block', address: '4915112345678' });
    await session.perform({ type: 'block', address: '8765432115194@lid' });
    await session.perform({ type: 'block', address: '4915112345671@s.whatsapp.net' });
    expect(await session.directory.blocklist()).toEqual(['4915112345671@s.whatsapp.net', '4915112345678@s.whatsapp.net']);
    await session.perform({ type: 'unblock', address: '4915112345678' });
    expect(await session.directory.blocklist()).toEqual(['4915112345671@s.whatsapp.net']);
    await session.close();
    const refused = await session.perform({ type: 'block', address: '4915112345678' }).catch((error: unknown) => error);
    expect(isWhatsAppSendError(refused) && refused.code).toBe('not_connected');
    expect(await session.directory.blocklist().catch((error: unknown) => isWhatsAppSendError(error) && error.code)).toBe('not_connected');
  });

  it('reports the phone number behind a LID-only sender a moment after its message', async () => {
    const { session, events } = await connected();
    const message = await session.injectInbound({ from: '8765432115194@lid', content: { type: 'text', text: 'hi' } });
    expect(message).toMatchObject({ from: '8765432115194@lid', author: { phoneNumber: null, lid: '8765432115194@lid' } });
    await until(() => events.some((event) => event.type === 'lid_mapping'));
    expect(events.filter((event) => event.type === 'message' || event.type === 'lid_mapping').map((event) => event.type)).toEqual(['message', 'lid_mapping']);
    expect(events.at(-1)).toEqual({ type: 'lid_mapping', lid: '8765432115194@lid', phoneNumber: '4915112345678' });
    const fromPhone = await session.injectInbound({ from: '4915112345678', content: { type: 'text', text: 'hi' } });
    expect(fromPhone.author).toEqual({ phoneNumber: '4915112345678', lid: '8765432115194@lid' });
  });

  it('reports a subscribed chat available a moment later, and takes presence and reads without a trace', async () => {
    const { session, events } = await connected();
    await session.perform({ type: 'presence', state: 'typing', chat: '4915112345678@s.whatsapp.net' });
    await session.perform({ type: 'read', chat: '4915112345678@s.whatsapp.net', messageIds: null });
    await session.perform({ type: 'subscribe_presence', chat: '4915112345679@s.whatsapp.net' });
    await until(() => events.some((event) => event.type === 'presence'));
    expect(events.filter((event) => event.type === 'presence')).toEqual([
      {
        type: 'presence',
        update: {
          chatId: '4915112345679@s.whatsapp.net',
          participant: '4915112345679',
          author: { phoneNumber: '4915112345679', lid: '9765432115194@lid' },
          state: 'available',
          lastSeen: null,
        },
      },
    ]);
  });
});
