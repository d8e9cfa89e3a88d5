/*
 * The inbound side of conversations on core's in-memory sandbox: a connected sandbox instance, its messages
 * sent through the outbox, and what someone else does to them injected by the sandbox's rules, handled by the
 * same handlers the server wires.
 */
import { describe, expect, it } from 'vitest';
import {
  createInboundMessageHandler,
  createMediaStore,
  createMessageStatusHandler,
  createMessageUseCases,
  createOutboxDrainer,
  createSentMessageLookup,
} from '../index.js';
import * as v from 'valibot';
import type { SandboxChangeRequest } from '../../sessions/index.js';
import { EVENT_PAYLOAD_SCHEMAS, type EventName } from '../../events/index.js';
import { codeOf } from '../../testing/use-case-harness.js';
import { createRecordingQueue } from '../../testing/message-test-harness.js';
import { createSessionHarness } from '../../testing/session-manager-harness.js';

const CONTACT = '4915112345678';
const CONTACT_LID = '8765432115194@lid';
const AUDIO = Buffer.from('4f676753', 'hex').toString('base64');

async function setup() {
  const h = createSessionHarness();
  const media = createMediaStore({ clock: h.clock, maxBytes: 1_000_000, ttlMs: 60_000 });
  const inbound = createInboundMessageHandler({ uow: h.uow, events: h.recorder, media, mediaKey: new Uint8Array(32).fill(7), publicUrl: 'https://api.test' });
  const status = createMessageStatusHandler({ uow: h.uow, clock: h.clock, events: h.recorder });
  const manager = h.startManager({
    sentMessages: createSentMessageLookup(h.uow.repos.messages),
    onInbound: (instance, message) => inbound.handleInboundMessage(instance, message),
    onMessageChange: (instance, change) => inbound.handleMessageChange(instance, change),
    onMessageStatus: (instance, update) => status.handleMessageStatus(instance, update),
  });
  const messages = createMessageUseCases({ uow: h.uow, clock: h.clock, outboxQueue: createRecordingQueue(), outbound: { checkUrl: async () => { throw new Error('unused'); } } });
  const drain = createOutboxDrainer({ uow: h.uow, clock: h.clock, events: h.recorder, sender: manager, outbound: { download: async () => { throw new Error('unused'); } }, options: { minGapMs: 0 } });
  const instance = await h.newInstance('sandbox');
  await manager.connect(h.principal, instance.id);
  await manager.sandboxScan(h.principal, instance.id);
  await h.settled();

  async function send(body: object) {
    const { message } = await messages.sendMessage(h.principal, { instanceId: instance.id, to: CONTACT, body });
    while ((await drain(instance.id)) !== undefined);
    return (await h.uow.repos.messages.findById(h.customer.id, message.id))!;
  }
  const inject = async (change: SandboxChangeRequest['change'], from = CONTACT, sender?: string) => {
    const injected = await manager.sandboxChange(h.principal, instance.id, { from, ...(sender !== undefined && { sender }), change });
    await h.settled();
    return injected;
  };
  /** The data of every `name` event of the instance, each checked against the event's published schema. */
  const events = (name: EventName) =>
    h
      .eventsOf(instance.id)
      .filter((e) => e.event === name)
      .map((e) => {
        expect(v.safeParse(EVENT_PAYLOAD_SCHEMAS[name], e.data).issues, name).toBeUndefined();
        return e.data as Record<string, unknown>;
      });
  return { h, manager, instance, send, inject, events };
}

describe('what others do to messages of a chat', () => {
  it('reports a reaction as message.reaction naming our message and the person by both addresses, never as message.received', async () => {
    const { send, inject, events } = await setup();
    const sent = await send({ type: 'text', text: 'hello' });
    const injected = await inject({ type: 'reaction', messageId: sent.id, emoji: '👍' });
    await inject({ type: 'reaction', messageId: sent.whatsappId!, emoji: '' });
    expect(events('message.received')).toEqual([]);
    expect(events('message.reaction')).toEqual([
      {
        message_id: sent.id,
        whatsapp_id: sent.whatsappId,
        chat_id: `${CONTACT}@s.whatsapp.net`,
        is_group: false,
        from_me: false,
        author: { phone_number: CONTACT, lid: CONTACT_LID },
        reaction_id: injected.changeId,
        emoji: '👍',
        target_from_me: true,
        reacted_at: expect.any(String),
      },
      expect.objectContaining({ message_id: sent.id, emoji: '' }),
    ]);
  });

  it('reports edits and revokes of their messages with from_me false, and a revoke of ours with our id', async () => {
    const { send, inject, events } = await setup();
    const sent = await send({ type: 'text', text: 'hello' });
    await inject({ type: 'edit', messageId: '3EB0THEIRS', text: 'fixed' });
    await inject({ type: 'revoke', messageId: '3EB0THEIRS' });
    await inject({ type: 'revoke', messageId: sent.id }, '120363000000000001@g.us', '4915112345679');
    expect(events('message.edited')).toEqual([
      {
        message_id: null,
        whatsapp_id: '3EB0THEIRS',
        chat_id: `${CONTACT}@s.whatsapp.net`,
        is_group: false,
        from_me: false,
        author: { phone_number: CONTACT, lid: CONTACT_LID },
        text: 'fixed',
        edited_at: expect.any(String),
      },
    ]);
    expect(events('message.revoked')).toEqual([
      expect.objectContaining({ message_id: null, whatsapp_id: '3EB0THEIRS', from_me: false }),
      expect.objectContaining({
        message_id: sent.id,
        whatsapp_id: sent.whatsappId,
        chat_id: '120363000000000001@g.us',
        is_group: true,
        author: { phone_number: '4915112345679', lid: '9765432115194@lid' },
      }),
    ]);
  });

  it('reports poll votes with the voter and their whole choice, by option text', async () => {
    const { send, inject, events } = await setup();
    const poll = await send({ type: 'poll', question: 'When?', options: ['Monday', 'Tuesday', 'Friday'], selectable_count: 2 });
    await inject({ type: 'poll_vote', messageId: poll.id, options: ['Tuesday', 'Friday'] });
    await inject({ type: 'poll_vote', messageId: poll.whatsappId!, options: [] }, '4915112345679');
    expect(events('poll.vote')).toEqual([
      {
        message_id: poll.id,
        whatsapp_id: poll.whatsappId,
        chat_id: `${CONTACT}@s.whatsapp.net`,
        is_group: false,
        from_me: false,
        voter: { phone_number: CONTACT, lid: CONTACT_LID },
        selected_options: ['Tuesday', 'Friday'],
        voted_at: expect.any(String),
      },
      expect.objectContaining({ message_id: poll.id, voter: { phone_number: '4915112345679', lid: '9765432115194@lid' }, selected_options: [] }),
    ]);
  });

  it('refuses what the sandbox rules forbid, recording nothing', async () => {
    const { h, send, inject, events } = await setup();
    const text = await send({ type: 'text', text: 'hello' });
    const poll = await send({ type: 'poll', question: 'When?', options: ['Monday', 'Tuesday'] });
    expect(await codeOf(inject({ type: 'poll_vote', messageId: poll.id, options: ['Sunday'] }))).toBe('invalid_input');
    expect(await codeOf(inject({ type: 'poll_vote', messageId: poll.id, options: ['Monday', 'Tuesday'] }))).toBe('invalid_input');
    expect(await codeOf(inject({ type: 'poll_vote', messageId: text.id, options: [] }))).toBe('conflict');
    expect(await codeOf(inject({ type: 'poll_vote', messageId: '3EB0UNKNOWN', options: [] }))).toBe('not_found');
    expect(await codeOf(inject({ type: 'edit', messageId: text.id, text: 'mine?' }))).toBe('conflict');
    expect(await codeOf(inject({ type: 'played', messageId: text.id }))).toBe('conflict');
    expect(await codeOf(inject({ type: 'reaction', messageId: 'msg_01JB0000000000000000000000', emoji: '👍' }))).toBe('not_found');
    expect(await codeOf(inject({ type: 'reaction', messageId: text.id, emoji: '👍' }, 'not a number'))).toBe('invalid_input');
    expect(events('poll.vote')).toEqual([]);
    expect(h.errors).toEqual([]);
  });

  it('reports a played voice note as message.played after message.read, and names a group participant by both addresses', async () => {
    const { send, inject, events, h, instance } = await setup();
    const note = await send({ type: 'audio', media_base64: AUDIO, mime_type: 'audio/ogg', ptt: true });
    await inject({ type: 'played', messageId: note.id });
    await inject({ type: 'played', messageId: note.whatsappId! }, '120363000000000001@g.us', '9765432115194@lid');
    const names = h.eventsOf(instance.id).map((e) => e.event).filter((name) => name === 'message.read' || name === 'message.played');
    expect(names).toEqual(['message.read', 'message.played', 'message.played']);
    expect(events('message.played')).toEqual([
      { message_id: note.id, whatsapp_id: note.whatsappId, client_ref: null, to: `${CONTACT}@s.whatsapp.net`, status: 'read' },
      expect.objectContaining({ participant: '9765432115194@lid', by: { phone_number: null, lid: '9765432115194@lid' } }),
    ]);
  });
});
