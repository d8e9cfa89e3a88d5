import { describe, expect, it } from 'vitest';
import { WhatsAppSendError } from '../../sessions/index.js';
import { aCustomer, aPrincipal } from '../../testing/fixtures.js';
import { createMessageHarness } from '../../testing/message-test-harness.js';
import { codeOf } from '../../testing/use-case-harness.js';

async function sentText(text = 'helo') {
  const h = createMessageHarness();
  const { principal, instance } = await h.tenant();
  const { message } = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text } });
  await h.drainAll(instance.id);
  return { h, principal, instance, message };
}

describe('editing and revoking a sent message', () => {
  it('edits through the outbox and reports message.edited with our id and the new text', async () => {
    const { h, principal, message } = await sentText();
    const { action } = await h.editMessage(principal, { id: message.id, text: 'hello' });
    expect(action.id).toMatch(/^act_/);
    await h.drainAll(message.instanceId);
    const whatsappId = h.sent[0]!.whatsappId;
    expect(h.performed.map((p) => p.action)).toEqual([
      { type: 'edit', target: { whatsappId, chatId: '4915112345678@s.whatsapp.net', fromMe: true }, text: 'hello' },
    ]);
    expect(h.eventLog().at(-1)).toEqual({
      event: 'message.edited',
      data: { message_id: message.id, whatsapp_id: whatsappId, chat_id: '4915112345678@s.whatsapp.net', is_group: false, from_me: true, author: null, text: 'hello', edited_at: expect.any(String) },
    });
  });

  it('revokes through the outbox and reports message.revoked after message.sent', async () => {
    const { h, principal, message } = await sentText();
    await h.revokeMessage(principal, { id: message.id });
    await h.drainAll(message.instanceId);
    expect(h.eventLog().map((e) => e.event)).toEqual(['message.sent', 'message.revoked']);
    expect(h.eventLog()[1]!.data).toMatchObject({ message_id: message.id, from_me: true });
  });

  it('refuses an edit after 15 minutes with edit_window_passed, and an image with conflict', async () => {
    const { h, principal, message, instance } = await sentText();
    h.clock.advance(15 * 60_000 + 1);
    expect(await codeOf(h.editMessage(principal, { id: message.id, text: 'late' }))).toBe('edit_window_passed');
    const image = await h.sendMessage(principal, {
      instanceId: instance.id,
      to: '4915112345678',
      body: { type: 'image', media_base64: Buffer.from('89504e470d0a1a0a', 'hex').toString('base64'), mime_type: 'image/png' },
    });
    await h.drainAll(instance.id);
    expect(await codeOf(h.editMessage(principal, { id: image.message.id, text: 'caption?' }))).toBe('conflict');
    expect(await codeOf(h.editMessage(principal, { id: message.id, text: '' }))).toBe('invalid_input');
  });

  it("refuses a failed or queued message with conflict, and another customer's with not_found, staging nothing", async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const failed = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: 'x' } });
    h.sendFailures.push(new WhatsAppSendError('invalid_recipient', 'no such user', false));
    await h.drainAll(instance.id);
    const queued = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'text', text: 'y' } });
    expect(await codeOf(h.revokeMessage(principal, { id: failed.message.id }))).toBe('conflict');
    expect(await codeOf(h.editMessage(principal, { id: queued.message.id, text: 'z' }))).toBe('conflict');
    const stranger = aPrincipal((await h.repos.customers.create(aCustomer())).id);
    expect(await codeOf(h.revokeMessage(stranger, { id: queued.message.id }))).toBe('not_found');
    expect(await codeOf(h.revokeMessage(principal, { id: 'msg_nope' }))).toBe('not_found');
    h.queue.take();
    await h.drainAll(instance.id);
    expect(h.performed).toEqual([]);
  });

  it('forwards a message as a new msg_ with the same content, marked forwarded, and refuses a reaction', async () => {
    const { h, principal, message, instance } = await sentText('look');
    const forwarded = await h.forwardMessage(principal, { id: message.id, to: '4915112345679' });
    expect(forwarded.message).toMatchObject({ recipient: '4915112345679@s.whatsapp.net', body: { type: 'text', text: 'look' }, forwardedFrom: message.id });
    expect(forwarded.message.id).not.toBe(message.id);
    await h.drainAll(instance.id);
    expect(h.sent.at(-1)).toMatchObject({ to: '4915112345679@s.whatsapp.net', content: { type: 'text', text: 'look' }, options: { forwarded: true } });
    const reaction = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'reaction', emoji: '👍', message_id: message.id } });
    expect(await codeOf(h.forwardMessage(principal, { id: reaction.message.id, to: '4915112345679' }))).toBe('conflict');
    const stranger = aPrincipal((await h.repos.customers.create(aCustomer())).id);
    expect(await codeOf(h.forwardMessage(stranger, { id: message.id, to: '4915112345679' }))).toBe('not_found');
    expect(await codeOf(h.forwardMessage(principal, { id: message.id, to: '+49' }))).toBe('invalid_input');
  });
});

describe('reading an action', () => {
  it('shows an action queued, then performed; a message id, a stranger and a key bound elsewhere get not_found', async () => {
    const { h, principal, message, instance } = await sentText();
    const { action } = await h.revokeMessage(principal, { id: message.id });
    expect(await h.getAction(principal, { id: action.id })).toMatchObject({ id: action.id, status: 'queued' });
    await h.drainAll(instance.id);
    expect(await h.getAction(principal, { id: action.id })).toMatchObject({ status: 'sent', body: { type: 'action', action: { type: 'revoke' } } });
    const stranger = aPrincipal((await h.repos.customers.create(aCustomer())).id);
    const boundElsewhere = { ...principal, instanceId: 'inst_elsewhere' };
    for (const [who, id] of [[principal, message.id], [stranger, action.id], [boundElsewhere, action.id]] as const) {
      expect(await codeOf(h.getAction(who, { id }))).toBe('not_found');
    }
  });
});
