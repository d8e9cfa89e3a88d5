import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';
import { until } from '@whatisup/test-infra';

let subject: TestApp<{ sessions: true }>;
afterEach(async () => subject.close());

async function connectedSandbox() {
  const { auth } = await subject.newCustomer();
  const instance = await subject.newInstance(auth, { kind: 'sandbox' });
  await subject.post(`/v1/instances/${instance}/connect`, auth);
  await until(async () => (await subject.post(`/v1/instances/${instance}/sandbox/scan`, auth)).statusCode === 204);
  await until(async () => (await subject.app.inject({ method: 'GET', url: `/v1/instances/${instance}`, headers: auth })).json().status === 'connected');
  return { auth, instance };
}

const PNG = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
const inject = (id: string, auth: Record<string, string>, payload: object) => subject.post(`/v1/instances/${id}/sandbox/inbound`, auth, payload);

describe('sandbox controls over HTTP', () => {
  it('scans the QR: the instance connects', async () => {
    subject = await buildTestApp({ sessions: true });
    const { instance, auth } = await connectedSandbox();
    const events = subject.recorder.envelopes().filter((e) => e.instance_id === instance).map((e) => e.event);
    expect(events).toEqual(['qr.updated', 'instance.connected']);
    const rescan = await subject.post(`/v1/instances/${instance}/sandbox/scan`, auth);
    expect(rescan.statusCode).toBe(409);
  });

  it('injects a text message that arrives like a real inbound one', async () => {
    subject = await buildTestApp({ sessions: true });
    const { instance, auth } = await connectedSandbox();
    const response = await inject(instance, auth, { from: '4915112345678', push_name: 'Ada', body: { type: 'text', text: 'hello' } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ message_id: expect.stringMatching(/^3EB0/), from: '4915112345678', chat_id: '4915112345678@s.whatsapp.net' });
    expect(subject.inbound.at(-1)).toMatchObject({ from: '4915112345678', pushName: 'Ada', body: { type: 'text', text: 'hello' } });
  });

  it('takes every send body shape, media as media_base64 + mime_type', async () => {
    subject = await buildTestApp({ sessions: true });
    const { instance, auth } = await connectedSandbox();
    const bodies = [
      { type: 'image', media_base64: PNG, mime_type: 'image/png', caption: 'look' },
      { type: 'video', media_base64: PNG, mime_type: 'video/mp4' },
      { type: 'audio', media_base64: PNG, mime_type: 'audio/ogg; codecs=opus', ptt: true },
      { type: 'document', media_base64: PNG, mime_type: 'application/pdf', filename: 'a.pdf' },
      { type: 'sticker', media_base64: PNG, mime_type: 'image/webp' },
      { type: 'location', latitude: 52.5, longitude: 13.4, name: 'Berlin' },
      { type: 'contact', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nEND:VCARD', display_name: 'Ada' },
    ];
    for (const body of bodies) {
      const response = await inject(instance, auth, { from: '4915112345678', body });
      expect(response.statusCode, body.type).toBe(201);
    }
    const received = subject.inbound.map((m) => m.body);
    expect(received.map((b) => b.type)).toEqual(bodies.map((b) => b.type));
    const image = received[0] as { media: { mimeType: string; download(): Promise<Uint8Array> }; caption: string };
    expect(Buffer.from(await image.media.download()).toString('base64')).toBe(PNG);
    expect(image.caption).toBe('look');
    expect(received[2]).toMatchObject({ ptt: true, media: { mimeType: 'audio/ogg' } });
    expect(received[3]).toMatchObject({ media: { filename: 'a.pdf' } });
  });

  it("injects a reaction, an edit and a revoke about a message of the chat as changes, never as messages", async () => {
    subject = await buildTestApp({ sessions: true });
    const { instance, auth } = await connectedSandbox();
    const bodies = [
      { type: 'reaction', emoji: '👍', message_id: '3EB0ABCDEF' },
      { type: 'edit', message_id: '3EB0ABCDEF', text: 'fixed' },
      { type: 'revoke', message_id: '3EB0ABCDEF' },
    ];
    const ids: string[] = [];
    for (const body of bodies) {
      const response = await inject(instance, auth, { from: '120363000000000001@g.us', sender: '4915112345678', body });
      expect(response.statusCode, body.type).toBe(201);
      expect(response.json()).toMatchObject({ from: '4915112345678', chat_id: '120363000000000001@g.us' });
      ids.push(response.json().message_id);
    }
    expect(subject.inbound).toEqual([]);
    expect(subject.changes.map((c) => [c.kind, c.changeId, c.target.whatsappId, c.isGroup, c.author])).toEqual(
      ['reaction', 'edit', 'revoke'].map((kind, i) => [kind, ids[i], '3EB0ABCDEF', true, { phoneNumber: '4915112345678', lid: '8765432115194@lid' }]),
    );
  });

  it('refuses a vote or a played receipt for a message that is not ours (404), and malformed ones (400)', async () => {
    subject = await buildTestApp({ sessions: true });
    const { instance, auth } = await connectedSandbox();
    const vote = await inject(instance, auth, { from: '4915112345678', body: { type: 'poll_vote', message_id: '3EB0NOTAPOLL', options: ['a'] } });
    expect([vote.statusCode, vote.json().error.code]).toEqual([404, 'not_found']);
    const played = await inject(instance, auth, { from: '4915112345678', body: { type: 'played', message_id: 'msg_01JB0000000000000000000000' } });
    expect([played.statusCode, played.json().error.code]).toEqual([404, 'not_found']);
    for (const body of [{ type: 'poll_vote', message_id: 'x' }, { type: 'edit', message_id: 'x' }, { type: 'played' }]) {
      expect((await inject(instance, auth, { from: '4915112345678', body })).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(subject.changes).toEqual([]);
  });

  it('refuses media_url (the sandbox fetches nothing), malformed bodies and a bad sender with 400', async () => {
    subject = await buildTestApp({ sessions: true });
    const { instance, auth } = await connectedSandbox();
    const bad = [
      { from: '4915112345678', body: { type: 'image', media_url: 'https://example.com/a.png' } },
      { from: '4915112345678', body: { type: 'image', media_base64: PNG } },
      { from: '4915112345678', body: { type: 'text' } },
      { from: '4915112345678', body: { type: 'poll' } },
      { from: '4915112345678', body: { type: 'text', text: 'x', extra: 1 } },
      { from: 'not-a-number', body: { type: 'text', text: 'x' } },
    ];
    for (const payload of bad) {
      const response = await inject(instance, auth, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('invalid_input');
    }
    expect(subject.inbound).toEqual([]);
  });

  it('refuses a real (non-sandbox) instance with 400 and an unconnected sandbox with 409 not_connected', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const real = await subject.newInstance(auth, { kind: 'whatsapp' });
    const idle = await subject.newInstance(auth, { kind: 'sandbox' });
    const text = { from: '4915112345678', body: { type: 'text', text: 'x' } };
    expect((await inject(real, auth, text)).statusCode).toBe(400);
    expect((await subject.post(`/v1/instances/${real}/sandbox/scan`, auth)).statusCode).toBe(400);
    const notConnected = await inject(idle, auth, text);
    expect(notConnected.statusCode).toBe(409);
    expect(notConnected.json().error.code).toBe('not_connected');
    expect((await subject.post(`/v1/instances/${idle}/sandbox/scan`, auth)).statusCode).toBe(409);
  });
});
