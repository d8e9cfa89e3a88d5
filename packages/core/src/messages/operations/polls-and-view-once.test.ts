import { describe, expect, it } from 'vitest';
import { createMessageHarness } from '../../testing/message-test-harness.js';
import { codeOf } from '../../testing/use-case-harness.js';

const PNG = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');

describe('polls and view-once media', () => {
  it('sends a poll with its question, options and how many a voter may pick', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'poll', question: 'Lunch?', options: ['Pizza', 'Sushi'], selectable_count: 2 } });
    await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'poll', question: 'Now?', options: ['Yes', 'No'] } });
    await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: { type: 'image', media_base64: PNG, mime_type: 'image/png', view_once: true } });
    await h.drainAll(instance.id);
    expect(h.sent.map((s) => s.content)).toMatchObject([
      { type: 'poll', question: 'Lunch?', options: ['Pizza', 'Sushi'], selectableCount: 2 },
      { type: 'poll', question: 'Now?', options: ['Yes', 'No'], selectableCount: 1 },
      { type: 'image', viewOnce: true },
    ]);
  });

  it('refuses a poll with 1 or 13 options, repeated options or too many picks, and view_once on a document, staging nothing', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const send = (body: object) => codeOf(h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body }));
    const options = (n: number) => Array.from({ length: n }, (_, i) => `option ${i}`);
    expect(await send({ type: 'poll', question: 'Q', options: options(1) })).toBe('invalid_input');
    expect(await send({ type: 'poll', question: 'Q', options: options(13) })).toBe('invalid_input');
    expect(await send({ type: 'poll', question: 'Q', options: ['a', 'a'] })).toBe('invalid_input');
    expect(await send({ type: 'poll', question: 'Q', options: options(2), selectable_count: 3 })).toBe('invalid_input');
    expect(await send({ type: 'poll', question: '', options: options(2) })).toBe('invalid_input');
    expect(await send({ type: 'document', media_base64: PNG, mime_type: 'application/pdf', filename: 'a.pdf', view_once: true })).toBe('invalid_input');
    expect(h.queue.held.size).toBe(0);
  });
});
