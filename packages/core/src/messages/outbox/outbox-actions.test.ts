import { describe, expect, it } from 'vitest';
import { WhatsAppSendError } from '../../sessions/index.js';
import { codeOf } from '../../testing/use-case-harness.js';
import { createMessageHarness } from '../../testing/message-test-harness.js';

const block = { type: 'block', address: '4915112345678@s.whatsapp.net' } as const;

describe('outbox actions', () => {
  it('are performed in acceptance order with the sends, and become sent without a WhatsApp id', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const first = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: 'one' } });
    const action = await h.stageOutboxAction(principal, { instanceId: instance.id, action: block, target: block.address });
    await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: 'two' } });
    expect(h.queue.held.size).toBe(1);
    await h.drainAll(instance.id);
    expect(h.sent.map((s) => s.content)).toMatchObject([{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }]);
    expect(h.performed).toEqual([{ instanceId: instance.id, action: block }]);
    expect(h.outboxLog).toEqual(['send:4915112345678@s.whatsapp.net', 'perform:block', 'send:4915112345678@s.whatsapp.net']);
    expect(await h.repos.messages.findById(principal.customerId, action.action.id)).toMatchObject({ status: 'sent', whatsappId: null });
    expect(h.eventLog().map((e) => e.event)).toEqual(['message.sent', 'message.sent']);
    expect(await codeOf(h.getMessage(principal, { id: action.action.id }))).toBe('not_found');
    expect(first.message.id).toMatch(/^msg_/);
  });

  it('wait while the socket is down, and record action.failed when WhatsApp refuses', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const staged = await h.stageOutboxAction(principal, { instanceId: instance.id, action: block, target: block.address });
    h.sendFailures.push(new WhatsAppSendError('not_connected', 'down', true), new WhatsAppSendError('invalid_recipient', 'no such user', false));
    await h.drainAll(instance.id);
    expect(h.performed).toEqual([]);
    expect(h.eventLog()).toEqual([
      {
        event: 'action.failed',
        data: { action_id: staged.action.id, type: 'block', target: block.address, error: { code: 'invalid_recipient', message: 'no such user' } },
      },
    ]);
  });

  it('are refused while the instance is down, and a repeat is answered before that check', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant({ status: 'connected' });
    const input = { instanceId: instance.id, action: block, target: block.address, idempotencyKey: 'same' };
    const first = await h.stageOutboxAction(principal, input);
    await h.repos.instances.updateStatus(principal.customerId, instance.id, ['connected'], { status: 'disconnected', statusReason: 'logout', at: h.clock.now() });
    expect(await h.stageOutboxAction(principal, input)).toEqual({ action: first.action, created: false });
    expect(await codeOf(h.stageOutboxAction(principal, { ...input, idempotencyKey: 'other' }))).toBe('not_connected');
  });
});
