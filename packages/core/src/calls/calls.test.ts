import { describe, expect, it } from 'vitest';
import { createCallHandler, createCallRegistry, createRejectCall, createRejectRingingCall } from './index.js';
import { createUpdateInstanceSettings } from '../settings/index.js';
import { WhatsAppSendError, type CallUpdate, type SessionAction } from '../sessions/index.js';
import { codeOf } from '../testing/use-case-harness.js';
import { createMessageHarness } from '../testing/message-test-harness.js';
import { aPrincipal } from '../testing/fixtures.js';

const offer = (callId: string, overrides: Partial<CallUpdate> = {}): CallUpdate => ({
  callId,
  from: '4915112345679@s.whatsapp.net',
  author: { phoneNumber: '4915112345679', lid: '9765432115194@lid' },
  groupId: null,
  isVideo: false,
  isGroup: false,
  status: 'offer',
  at: new Date('2026-05-01T12:00:00Z'),
  ...overrides,
});

function setup() {
  const h = createMessageHarness();
  const registry = createCallRegistry({ maxPerInstance: 3 });
  // Performed at once through the session, as the outbox would perform an action.
  const sender = {
    async perform(instance: { customerId: string; id: string }, action: SessionAction) {
      const failure = h.sendFailures.shift();
      if (failure !== undefined) throw failure;
      h.performed.push({ instanceId: instance.id, action });
      h.outboxLog.push(`perform:${action.type}`);
    },
  };
  const reject = createRejectRingingCall({ uow: h.uow, events: h.events, clock: h.clock, registry, sender });
  const replies: Array<{ to: string; text: string }> = [];
  const handle = createCallHandler({
    uow: h.uow,
    events: h.events,
    clock: h.clock,
    registry,
    reject,
    reply: async (instance, { to, text }) => {
      replies.push({ to, text });
      await h.sendMessage(aPrincipal(instance.customerId, { instanceId: instance.id }), { instanceId: instance.id, to, body: { type: 'text', text } });
    },
  });
  const elsewhere = new Set<string>();
  const rejectCall = createRejectCall({ uow: h.uow, registry, reject, runsElsewhere: async (id) => elsewhere.has(id) });
  const updateSettings = createUpdateInstanceSettings({ uow: h.uow, clock: h.clock });
  return { h, registry, handle, rejectCall, replies, elsewhere, updateSettings };
}

describe('calls', () => {
  it('record call.offered once, then call.terminated with the reason the phone gave', async () => {
    const { h, handle } = setup();
    const { instance } = await h.tenant();
    await handle(instance, offer('C1', { isVideo: true }));
    await handle(instance, offer('C1', { isVideo: true }));
    await handle(instance, offer('C1', { status: 'timeout', at: new Date('2026-05-01T12:00:30Z') }));
    await handle(instance, offer('C1', { status: 'ended' }));
    expect(h.eventLog()).toEqual([
      {
        event: 'call.offered',
        data: {
          call_id: 'C1',
          from: '4915112345679',
          phone_number: '4915112345679',
          lid: '9765432115194@lid',
          is_video: true,
          is_group: false,
          group_id: null,
          offered_at: '2026-05-01T12:00:00.000Z',
        },
      },
      expect.objectContaining({ event: 'call.terminated', data: expect.objectContaining({ call_id: 'C1', reason: 'missed', rejected_by: null, terminated_at: '2026-05-01T12:00:30.000Z' }) }),
    ]);
  });

  it('reject a ringing call on request: 404 for an unknown call, 409 once it ended, 403 for another instance’s key', async () => {
    const { h, handle, rejectCall } = setup();
    const { principal, instance } = await h.tenant();
    await handle(instance, offer('C2'));
    expect(await codeOf(rejectCall(principal, { instanceId: instance.id, callId: 'NOPE' }))).toBe('not_found');
    expect(await codeOf(rejectCall({ ...principal, instanceId: 'inst_other' }, { instanceId: instance.id, callId: 'C2' }))).toBe('forbidden');
    const call = await rejectCall(principal, { instanceId: instance.id, callId: 'C2' });
    expect(call).toMatchObject({ state: 'ended', reason: 'rejected', rejectedBy: 'api' });
    expect(h.performed).toEqual([{ instanceId: instance.id, action: { type: 'reject_call', callId: 'C2', from: '4915112345679@s.whatsapp.net' } }]);
    expect(await codeOf(rejectCall(principal, { instanceId: instance.id, callId: 'C2' }))).toBe('conflict');
    // The phone's own terminate after our reject records nothing more.
    await handle(instance, offer('C2', { status: 'ended' }));
    expect(h.eventLog().map((e) => e.event)).toEqual(['call.offered', 'call.terminated']);
    expect(h.eventLog()[1]?.data).toMatchObject({ reason: 'rejected', rejected_by: 'api' });
  });

  it('leave a reject of a call another node runs to that node, and say not_connected when the socket is down', async () => {
    const { h, handle, rejectCall, elsewhere } = setup();
    const { principal, instance } = await h.tenant();
    await handle(instance, offer('C3'));
    elsewhere.add(instance.id);
    expect(await codeOf(rejectCall(principal, { instanceId: instance.id, callId: 'C3' }))).toBe('unavailable');
    elsewhere.clear();
    h.sendFailures.push(new WhatsAppSendError('not_connected', 'down', true));
    expect(await codeOf(rejectCall(principal, { instanceId: instance.id, callId: 'C3' }))).toBe('not_connected');
    // Still ringing: a later reject goes through.
    expect((await rejectCall(principal, { instanceId: instance.id, callId: 'C3' })).reason).toBe('rejected');
  });

  it('with reject_calls, decline at once and stage call_reply_text to the caller', async () => {
    const { h, handle, replies, updateSettings } = setup();
    const { principal, instance } = await h.tenant();
    await updateSettings(principal, { instanceId: instance.id, patch: { reject_calls: true, call_reply_text: 'I cannot take calls here.' } });
    await handle(instance, offer('C4', { author: { phoneNumber: null, lid: '9765432115194@lid' }, from: '9765432115194@lid' }));
    expect(h.eventLog().map((e) => [e.event, (e.data as { rejected_by?: unknown }).rejected_by])).toEqual([
      ['call.offered', undefined],
      ['call.terminated', 'settings'],
    ]);
    expect(replies).toEqual([{ to: '9765432115194@lid', text: 'I cannot take calls here.' }]);
    await h.drainAll(instance.id);
    expect(h.outboxLog).toEqual(['perform:reject_call', 'send:9765432115194@lid']);
  });

  it('keep only the newest calls of an instance', async () => {
    const { h, handle, registry } = setup();
    const { instance } = await h.tenant();
    for (const id of ['A', 'B', 'C', 'D']) await handle(instance, offer(id));
    expect(registry.get(instance.id, 'A')).toBeNull();
    expect(registry.get(instance.id, 'D')).not.toBeNull();
  });
});
