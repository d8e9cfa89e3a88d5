import { afterEach, describe, expect, it } from 'vitest';
import { isDomainError, type SandboxSession, type SessionEvent } from '@whatisup/core';
import { createFakeSandboxSessionFactory } from '@whatisup/core/testing';
import { createInMemorySandboxCredentialStore } from './sandbox-credential-store.js';
import { createSandboxSessionFactory } from './sandbox-session-factory.js';

const open: SandboxSession[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((session) => session.close()));
});

// The sandbox adapter and core's fake must follow the same rules (sandbox-calls.ts in core).
const adapters = {
  sandbox: () =>
    createSandboxSessionFactory({
      credentials: createInMemorySandboxCredentialStore(),
      timings: { autoScanMs: null, resumeDelayMs: 1, receiptDelayMs: 2 },
    }),
  'core fake': () => createFakeSandboxSessionFactory(),
};

describe.each(Object.entries(adapters))('calls and status views on the %s', (_, makeFactory) => {
  async function connected() {
    const events: SessionEvent[] = [];
    const session = makeFactory().createSession({ instanceId: 'inst_calls', listener: (event) => events.push(event) });
    open.push(session);
    await session.connect();
    await session.scan();
    return { session, events };
  }

  it('rings an injected call, named by phone number and LID, until a call_end ends it', async () => {
    const { session, events } = await connected();
    const offered = await session.injectEvent({ kind: 'call', from: '4915112345678', isVideo: true });
    expect(offered).toMatchObject({
      from: '4915112345678@s.whatsapp.net',
      author: { phoneNumber: '4915112345678', lid: '8765432115194@lid' },
      isVideo: true,
      isGroup: false,
      groupId: null,
      status: 'offer',
    });
    expect('callId' in offered && offered.callId).toMatch(/^SBXCALL[0-9A-F]{16}$/);
    const callId = 'callId' in offered ? offered.callId : '';
    expect(await session.injectEvent({ kind: 'call_end', callId, reason: 'timeout' })).toMatchObject({ callId, status: 'timeout' });
    expect(events.filter((e) => e.type === 'call').map((e) => e.type === 'call' && e.call.status)).toEqual(['offer', 'timeout']);
    // Ended: a second end is unknown.
    const again = await session.injectEvent({ kind: 'call_end', callId, reason: 'ended' }).catch((error: unknown) => error);
    expect(isDomainError(again, 'not_found')).toBe(true);
  });

  it('stops a call ringing when the instance rejects it, and reports nothing more for it', async () => {
    const { session, events } = await connected();
    const offered = await session.injectEvent({ kind: 'call', from: '8765432115194@lid', isVideo: false, groupId: '120363000000000000@g.us' });
    expect(offered).toMatchObject({ author: { phoneNumber: null, lid: '8765432115194@lid' }, isGroup: true, groupId: '120363000000000000@g.us' });
    const callId = 'callId' in offered ? offered.callId : '';
    await session.perform({ type: 'reject_call', callId, from: '8765432115194@lid' });
    const late = await session.injectEvent({ kind: 'call_end', callId, reason: 'ended' }).catch((error: unknown) => error);
    expect(isDomainError(late, 'not_found')).toBe(true);
    expect(events.filter((e) => e.type === 'call')).toHaveLength(1);
  });

  it('refuses a group as a caller, and reports a view of a status post as the viewer saw it', async () => {
    const { session, events } = await connected();
    const refused = await session.injectEvent({ kind: 'call', from: '120363000000000000@g.us', isVideo: false }).catch((error: unknown) => error);
    expect(isDomainError(refused, 'invalid_input')).toBe(true);
    const { whatsappId } = await session.send('status@broadcast', { type: 'text', text: 'Open today' }, { statusPost: { audience: ['4915112345678@s.whatsapp.net'] } });
    const view = await session.injectEvent({ kind: 'story_view', from: '4915112345678', whatsappId, played: false });
    expect(view).toMatchObject({ whatsappId, viewer: '4915112345678', author: { phoneNumber: '4915112345678', lid: '8765432115194@lid' }, kind: 'read' });
    expect(events.some((e) => e.type === 'story_view')).toBe(true);
    // A status post takes no receipts.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events.filter((e) => e.type === 'message_status')).toEqual([]);
  });
});
