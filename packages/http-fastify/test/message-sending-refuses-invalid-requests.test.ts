import { describe, expect, it } from 'vitest';
import { useConnectedMessageApp } from './support/use-connected-message-app.js';

const text = { type: 'text', text: 'Hello' };

describe('sending a message refuses invalid requests in the error envelope', () => {
  const given = useConnectedMessageApp();

  const send = (payload: unknown, headers: Record<string, string> = {}) =>
    given.subject.app.inject({
      method: 'POST',
      url: `/v1/instances/${given.instanceId}/messages`,
      headers: { ...given.tenant.auth, 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  async function expectRefused(payload: unknown, status: number, code: string, path?: string) {
    const response = await send(payload);
    expect(response.statusCode, JSON.stringify(payload).slice(0, 200)).toBe(status);
    const envelope = response.json();
    expect(envelope).toMatchObject({ error: { code }, request_id: expect.stringMatching(/^req_/) });
    if (path !== undefined) expect(envelope.error.details.issues).toContainEqual(expect.objectContaining({ in: 'body', path }));
    return envelope;
  }

  it('answers an unknown body type with 400 invalid_input at body.type', async () => {
    const envelope = await expectRefused({ to: '4915112345678', body: { type: 'carousel', question: '?' } }, 400, 'invalid_input', 'body.type');
    expect(envelope.error.message).toContain('body.type');
  });

  it('answers a missing `to` with 400 saying it is required', async () => {
    const envelope = await expectRefused({ body: text }, 400, 'invalid_input', 'to');
    expect(envelope.error.details.issues).toContainEqual({ in: 'body', path: 'to', message: 'Required.' });
  });

  it('answers a `to` with letters, a "+", too few digits or a broadcast JID with 400 at `to`', async () => {
    for (const to of ['49151abc5678', '+4915112345678', '1234567', 'status@broadcast', '4915112345678@example.com']) {
      await expectRefused({ to, body: text }, 400, 'invalid_input', 'to');
    }
  });

  it('answers a 10 MB text with 413 payload_too_large (the body limit)', async () => {
    await expectRefused({ to: '4915112345678', body: { type: 'text', text: 'x'.repeat(10 * 1024 * 1024) } }, 413, 'payload_too_large');
  });

  it('answers an empty text, a missing body and unknown fields with 400', async () => {
    await expectRefused({ to: '4915112345678', body: { type: 'text', text: '' } }, 400, 'invalid_input', 'body.text');
    await expectRefused({ to: '4915112345678' }, 400, 'invalid_input', 'body');
    await expectRefused({ to: '4915112345678', body: { ...text, colour: 'red' } }, 400, 'invalid_input', 'body.colour');
    await expectRefused({ to: '4915112345678', body: text, instance_id: given.instanceId }, 400, 'invalid_input', 'instance_id');
  });

  it('answers media with no source, both sources, or inline bytes without a mime_type with 400', async () => {
    await expectRefused({ to: '4915112345678', body: { type: 'image' } }, 400, 'invalid_input');
    const both = { type: 'image', media_url: 'https://cdn.example.com/a.png', media_base64: 'aGk=', mime_type: 'image/png' };
    await expectRefused({ to: '4915112345678', body: both }, 400, 'invalid_input');
    await expectRefused({ to: '4915112345678', body: { type: 'image', media_base64: 'aGk=' } }, 400, 'invalid_input');
    await expectRefused({ to: '4915112345678', body: { type: 'document', media_base64: 'aGk=', mime_type: 'application/pdf' } }, 400, 'invalid_input', 'body.filename');
  });

  it('answers a media_url at a private address with 422 unsafe_url and stages nothing', async () => {
    const body = { type: 'image', media_url: 'http://169.254.169.254/latest/meta-data' };
    const envelope = await expectRefused({ to: '4915112345678', body }, 422, 'unsafe_url');
    expect(envelope.error.details.field).toBe('body.media_url');
    const list = await given.subject.app.inject({ method: 'GET', url: '/v1/messages', headers: given.tenant.auth });
    expect(list.json().data).toEqual([]);
  });

  it('answers a content type the kind does not take with 415 and oversized inline media with 413', async () => {
    await expectRefused({ to: '4915112345678', body: { type: 'image', media_base64: 'aGk=', mime_type: 'image/gif' } }, 415, 'unsupported_media_type');
    const bigSticker = Buffer.alloc(600 * 1024).toString('base64');
    await expectRefused({ to: '4915112345678', body: { type: 'sticker', media_base64: bigSticker, mime_type: 'image/webp' } }, 413, 'payload_too_large');
  });

  it('answers a reply_to naming no message of ours with 400', async () => {
    await expectRefused({ to: '4915112345678', body: text, reply_to: 'msg_01JB0000000000000000000000' }, 400, 'invalid_input');
  });

  it('answers an Idempotency-Key that is too long or not printable with 400 naming the header', async () => {
    for (const key of ['k'.repeat(256), 'tab\there']) {
      const response = await send({ to: '4915112345678', body: text }, { 'idempotency-key': key });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details.issues).toEqual([{ in: 'header', path: 'Idempotency-Key', message: expect.any(String) }]);
    }
    expect(given.subject.woken).toEqual([]);
  });

  it('answers malformed JSON with 400 and another content type with 415', async () => {
    expect((await send('{"to":')).json().error.code).toBe('invalid_json');
    const form = await send('to=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.statusCode).toBe(415);
  });
});
