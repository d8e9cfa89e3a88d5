import { describe, expect, it } from 'vitest';
import { createGetInstanceSettings, createSettingsEffects, createUpdateInstanceSettings } from './index.js';
import type { InboundMessage, SessionAction } from '../sessions/index.js';
import { codeOf } from '../testing/use-case-harness.js';
import { createMessageHarness } from '../testing/message-test-harness.js';

function setup() {
  const h = createMessageHarness();
  const performed: Array<{ instanceId: string; action: SessionAction }> = [];
  const live = new Set<string>();
  const sender = {
    isLive: (id: string) => live.has(id),
    async perform(instance: { id: string }, action: SessionAction) {
      performed.push({ instanceId: instance.id, action });
    },
  };
  const effects = createSettingsEffects({ uow: h.uow, sender });
  const update = createUpdateInstanceSettings({ uow: h.uow, clock: h.clock, onChanged: (i, b, a) => void effects.onChanged(i, b, a) });
  const get = createGetInstanceSettings({ uow: h.uow });
  return { h, performed, live, effects, update, get };
}

const inbound = (messageId: string): InboundMessage => ({
  messageId,
  from: '4915112345679',
  chatId: '4915112345679@s.whatsapp.net',
  isGroup: false,
  sender: null,
  pushName: null,
  receivedAt: new Date(),
  fromMe: false,
  body: { type: 'text', text: 'hi' },
  replyTo: null,
});

describe('instance settings', () => {
  it('start at the defaults, change only what is given, and audit each change', async () => {
    const { h, update, get } = setup();
    const { principal, instance } = await h.tenant();
    expect(await get(principal, { instanceId: instance.id })).toEqual({
      rejectCalls: false,
      callReplyText: null,
      alwaysOnline: false,
      sendReadReceipts: false,
      updatedAt: null,
    });
    await update(principal, { instanceId: instance.id, patch: { reject_calls: true, call_reply_text: 'Busy' } });
    const after = await update(principal, { instanceId: instance.id, patch: { always_online: true, reject_calls: true } });
    expect(after).toMatchObject({ rejectCalls: true, callReplyText: 'Busy', alwaysOnline: true, sendReadReceipts: false });
    const audit = await h.repos.audit.list(principal.customerId, { limit: 10 });
    expect(audit.data.map((e) => [e.action, e.data])).toEqual([
      ['instance.settings_updated', { changed: { always_online: { from: false, to: true } } }],
      ['instance.settings_updated', { changed: { reject_calls: { from: false, to: true }, call_reply_text: { from: null, to: 'Busy' } } }],
    ]);
  });

  it('refuse an empty patch, an unknown setting and a wrong type; another instance’s key is forbidden', async () => {
    const { h, update, get } = setup();
    const { principal, instance } = await h.tenant();
    const id = { instanceId: instance.id };
    expect(await codeOf(update(principal, { ...id, patch: {} }))).toBe('invalid_input');
    expect(await codeOf(update(principal, { ...id, patch: { reject_calls: 'yes' } }))).toBe('invalid_input');
    expect(await codeOf(update(principal, { ...id, patch: { dance: true } }))).toBe('invalid_input');
    expect(await codeOf(update(principal, { ...id, patch: { call_reply_text: '' } }))).toBe('invalid_input');
    expect(await codeOf(get({ ...principal, instanceId: 'inst_other' }, id))).toBe('forbidden');
    expect(await codeOf(get(principal, { instanceId: 'inst_missing' }))).toBe('not_found');
  });

  it('show the account online on connect and at once when turned on here; mark inbound read when asked', async () => {
    const { h, update, effects, performed, live } = setup();
    const { principal, instance } = await h.tenant();
    live.add(instance.id);
    await effects.onInbound(instance, inbound('3EB0A'));
    expect(performed).toEqual([]);
    await update(principal, { instanceId: instance.id, patch: { always_online: true, send_read_receipts: true } });
    await effects.onConnected(instance);
    await effects.onInbound(instance, inbound('3EB0B'));
    await update(principal, { instanceId: instance.id, patch: { always_online: false } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(performed.map((p) => p.action)).toEqual([
      { type: 'presence', state: 'available', chat: null },
      { type: 'presence', state: 'available', chat: null },
      { type: 'read', chat: '4915112345679@s.whatsapp.net', messageIds: ['3EB0B'] },
      { type: 'presence', state: 'unavailable', chat: null },
    ]);
  });
});
