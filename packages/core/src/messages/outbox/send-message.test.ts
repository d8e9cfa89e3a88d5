import { describe, expect, it } from 'vitest';
import { createMessageHarness } from '../../testing/message-test-harness.js';
import { codeOf } from '../../testing/use-case-harness.js';

const text = (t = 'hello') => ({ type: 'text', text: t });

describe('sendMessage', () => {
  it('stages a queued message with the recipient as a JID and wakes the instance outbox after commit', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const { message, created } = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: text(), clientRef: 'order-1' });
    expect(created).toBe(true);
    expect(message).toMatchObject({ status: 'queued', recipient: '4915112345678@s.whatsapp.net', clientRef: 'order-1' });
    expect(message.id).toMatch(/^msg_/);
    expect(h.queue.take()).toEqual([`outbox:${instance.id}`]);
    const { history } = await h.getMessage(principal, { id: message.id });
    expect(history.map((e) => e.status)).toEqual(['queued']);
  });

  it('keeps group and LID JIDs and refuses a "+", letters or too few digits', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const send = (to: string) => h.sendMessage(principal, { instanceId: instance.id, to, body: text() });
    expect((await send('120363040000000000@g.us')).message.recipient).toBe('120363040000000000@g.us');
    expect((await send('123456789012345@lid')).message.recipient).toBe('123456789012345@lid');
    for (const bad of ['+4915112345678', '49151abc', '1234567', '']) expect(await codeOf(send(bad))).toBe('invalid_input');
  });

  it('returns the first message to 20 concurrent identical requests and stages only one', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: text(), idempotencyKey: 'k-1' })),
    );
    const ids = new Set(results.map((r) => r.message.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await h.listMessages(principal)).data).toHaveLength(1);
  });

  it('treats a repeated client_ref on the instance like an idempotency key', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const first = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: text(), clientRef: 'r' });
    const again = await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: text(), clientRef: 'r' });
    expect(again).toEqual({ message: first.message, created: false });
  });

  it('answers idempotency_conflict to the same key or client_ref with a different body, staging nothing', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: text('a'), idempotencyKey: 'k', clientRef: 'r' });
    h.queue.take();
    const byKey = h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: text('b'), idempotencyKey: 'k' });
    expect(await codeOf(byKey)).toBe('idempotency_conflict');
    const byRef = h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: text('b'), clientRef: 'r' });
    expect(await codeOf(byRef)).toBe('idempotency_conflict');
    expect((await h.listMessages(principal)).data).toHaveLength(1);
    expect(h.queue.take()).toEqual([]);
  });

  it('refuses with not_connected unless the instance is connected or reconnecting, but still answers a repeat', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant({ status: 'reconnecting' });
    const input = { instanceId: instance.id, to: '4915112345678', body: text(), idempotencyKey: 'k' };
    const first = await h.sendMessage(principal, input);
    await h.repos.instances.updateStatus(principal.customerId, instance.id, ['reconnecting'], { status: 'disconnected', statusReason: 'logout', at: h.clock.now() });
    expect(await h.sendMessage(principal, input)).toEqual({ message: first.message, created: false });
    expect(await codeOf(h.sendMessage(principal, { ...input, idempotencyKey: 'other' }))).toBe('not_connected');
    for (const status of ['pending', 'qr_required', 'connecting'] as const) {
      const other = await h.tenant({ status });
      expect(await codeOf(h.sendMessage(other.principal, { ...input, instanceId: other.instance.id }))).toBe('not_connected');
    }
  });

  it("hides another customer's instance and refuses a key bound to another instance", async () => {
    const h = createMessageHarness();
    const mine = await h.tenant();
    const theirs = await h.tenant();
    expect(await codeOf(h.sendMessage(mine.principal, { instanceId: theirs.instance.id, to: '4915112345678', body: text() }))).toBe('not_found');
    const bound = { ...mine.principal, instanceId: 'inst_other' };
    expect(await codeOf(h.sendMessage(bound, { instanceId: mine.instance.id, to: '4915112345678', body: text() }))).toBe('forbidden');
  });

  it('stages a request with no key or client_ref without reading the instance first, keeping the order of errors', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const findById = h.repos.instances.findById.bind(h.repos.instances);
    let reads = 0;
    h.repos.instances.findById = (...args) => ((reads += 1), findById(...args));
    expect((await h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body: text() })).created).toBe(true);
    expect(reads).toBe(0);

    // The instance's error outranks the body's, as on the path that reads the instance first.
    const down = await h.tenant({ status: 'disconnected' });
    const badReply = { to: '4915112345678', body: text(), replyTo: 'msg_01JB0000000000000000000000' };
    expect(await codeOf(h.sendMessage(down.principal, { instanceId: down.instance.id, ...badReply }))).toBe('not_connected');
    expect(await codeOf(h.sendMessage(principal, { instanceId: instance.id, ...badReply }))).toBe('invalid_input');
    expect(await codeOf(h.sendMessage(principal, { instanceId: 'inst_01JB0000000000000000000000', ...badReply }))).toBe('not_found');
    expect(await codeOf(h.sendMessage(principal, { instanceId: down.instance.id, to: '4915112345678', body: text() }))).toBe('not_found');
    expect((await h.listMessages(down.principal)).data).toHaveLength(0);
  });

  it('refuses a media_url at a private address at once with unsafe_url', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const body = { type: 'image', media_url: 'http://169.254.169.254/latest/meta-data' };
    expect(await codeOf(h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body }))).toBe('unsafe_url');
    expect((await h.listMessages(principal)).data).toHaveLength(0);
  });

  it('checks inline media against the per-type cap and content types', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const send = (body: unknown) => h.sendMessage(principal, { instanceId: instance.id, to: '4915112345678', body });
    const bigSticker = Buffer.alloc(600 * 1024).toString('base64');
    expect(await codeOf(send({ type: 'sticker', media_base64: bigSticker, mime_type: 'image/webp' }))).toBe('payload_too_large');
    expect(await codeOf(send({ type: 'image', media_base64: 'aGVsbG8=', mime_type: 'image/gif' }))).toBe('unsupported_media_type');
    expect(await codeOf(send({ type: 'image', media_base64: 'aGVsbG8=' }))).toBe('invalid_input');
    expect(await codeOf(send({ type: 'image', media_base64: 'aGVsbG8=', mime_type: 'image/png', media_url: 'https://e.test/x' }))).toBe('invalid_input');
    expect(await codeOf(send({ type: 'document', media_base64: 'aGVsbG8=', mime_type: 'application/x-anything', filename: 'a.bin' }))).toBe('resolved');
  });

  it('refuses an unknown body type, an empty text and a reply to a message the customer does not have', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const base = { instanceId: instance.id, to: '4915112345678' };
    expect(await codeOf(h.sendMessage(principal, { ...base, body: { type: 'poll' } }))).toBe('invalid_input');
    expect(await codeOf(h.sendMessage(principal, { ...base, body: text('') }))).toBe('invalid_input');
    expect(await codeOf(h.sendMessage(principal, { ...base, body: text(), replyTo: 'msg_01JB0000000000000000000000' }))).toBe('invalid_input');
  });

  it('checks group mentions when accepting: people only, as numbers or JIDs', async () => {
    const h = createMessageHarness();
    const { principal, instance } = await h.tenant();
    const group = { instanceId: instance.id, to: '120363000000000001@g.us' };
    const mention = (mentions: unknown) => h.sendMessage(principal, { ...group, body: { type: 'text', text: 'hi @all', mentions } });
    expect(await codeOf(mention(['abc']))).toBe('invalid_input');
    expect(await codeOf(mention(['120363000000000001@g.us']))).toBe('invalid_input');
    expect(await codeOf(mention('4915112345678'))).toBe('invalid_input');
    expect(await codeOf(mention(['4915112345678', '4915112345679@s.whatsapp.net', '123456789@lid']))).toBe('resolved');
  });
});
