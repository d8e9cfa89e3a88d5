import { describe, expect, it } from 'vitest';
import { createPostStatus, createStoryViewHandler } from './index.js';
import { codeOf } from '../testing/use-case-harness.js';
import { createMessageHarness } from '../testing/message-test-harness.js';

function setup() {
  const h = createMessageHarness();
  const postStatus = createPostStatus({ uow: h.uow, clock: h.clock, outboxQueue: h.queue, outbound: h.outbound });
  const handleView = createStoryViewHandler({ uow: h.uow, events: h.events, clock: h.clock });
  return { h, postStatus, handleView };
}

describe('status posts', () => {
  it('stage a text post to status@broadcast, sent with its audience, background and font; views become story.viewed', async () => {
    const { h, postStatus, handleView } = setup();
    const { principal, instance } = await h.tenant();
    const { message } = await postStatus(principal, {
      instanceId: instance.id,
      post: { body: { type: 'text', text: 'Open today' }, audience: ['4915112345679', '4915112345679@s.whatsapp.net', '8765432115194@lid'], background_color: '#ff0000', font: 2 },
    });
    expect(message).toMatchObject({ recipient: 'status@broadcast', status: 'queued' });
    await h.drainAll(instance.id);
    expect(h.sent[0]).toMatchObject({
      to: 'status@broadcast',
      content: { type: 'text', text: 'Open today' },
      options: { statusPost: { audience: ['4915112345679@s.whatsapp.net', '8765432115194@lid'], backgroundColor: '#FF0000', font: 2 } },
    });
    const whatsappId = h.sent[0]!.whatsappId;
    await handleView(instance, { whatsappId, viewer: '4915112345679', author: { phoneNumber: '4915112345679', lid: '9765432115194@lid' }, kind: 'read', at: new Date('2026-05-01T12:00:00Z') });
    await handleView(instance, { whatsappId: 'UNKNOWN', viewer: '4915112345679', kind: 'read', at: new Date() });
    expect(h.eventLog().filter((e) => e.event === 'story.viewed')).toEqual([
      {
        event: 'story.viewed',
        data: {
          message_id: message.id,
          whatsapp_id: whatsappId,
          viewer: '4915112345679',
          phone_number: '4915112345679',
          lid: '9765432115194@lid',
          kind: 'read',
          viewed_at: '2026-05-01T12:00:00.000Z',
        },
      },
    ]);
  });

  it('refuse a document, no audience, a group in the audience, a private media_url; a repeat key returns the first post', async () => {
    const { h, postStatus } = setup();
    const { principal, instance } = await h.tenant();
    const id = { instanceId: instance.id };
    const audience = ['4915112345679'];
    expect(await codeOf(postStatus(principal, { ...id, post: { body: { type: 'location', latitude: 1, longitude: 2 }, audience } }))).toBe('invalid_input');
    expect(await codeOf(postStatus(principal, { ...id, post: { body: { type: 'text', text: 'x' } } }))).toBe('invalid_input');
    expect(await codeOf(postStatus(principal, { ...id, post: { body: { type: 'text', text: 'x' }, audience: [] } }))).toBe('invalid_input');
    expect(await codeOf(postStatus(principal, { ...id, post: { body: { type: 'text', text: 'x' }, audience: ['120363000000000000@g.us'] } }))).toBe('invalid_input');
    expect(await codeOf(postStatus(principal, { ...id, post: { body: { type: 'image', media_url: 'http://127.0.0.1/a.jpg' }, audience } }))).toBe('unsafe_url');
    const first = await postStatus(principal, { ...id, post: { body: { type: 'text', text: 'x' }, audience }, idempotencyKey: 'k1' });
    const again = await postStatus(principal, { ...id, post: { body: { type: 'text', text: 'x' }, audience }, idempotencyKey: 'k1' });
    expect(again).toEqual({ message: first.message, created: false });
    expect(await codeOf(postStatus(principal, { ...id, post: { body: { type: 'text', text: 'y' }, audience }, idempotencyKey: 'k1' }))).toBe('idempotency_conflict');
  });
});
