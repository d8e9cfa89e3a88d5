import { describe, expect, it } from 'vitest';
import { useConnectedMessageApp } from './support/use-connected-message-app.js';

const PNG = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
const VCARD = 'BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nTEL;type=CELL:+4915112345678\nEND:VCARD';

const BODIES: Record<string, object> = {
  text: { type: 'text', text: 'Hello', link_preview: true },
  'group text with mentions': { type: 'text', text: 'Hi @4915112345678', mentions: ['4915112345678'] },
  'image by URL': { type: 'image', media_url: 'https://cdn.example.com/cat.jpg', caption: 'A cat' },
  'image inline': { type: 'image', media_base64: PNG, mime_type: 'image/png' },
  video: { type: 'video', media_url: 'https://cdn.example.com/clip.mp4', caption: 'Clip', gif_playback: false },
  'voice note': { type: 'audio', media_base64: 'T2dnUw==', mime_type: 'audio/ogg; codecs=opus', ptt: true },
  document: { type: 'document', media_url: 'https://cdn.example.com/invoice.pdf', filename: 'invoice.pdf', caption: 'May' },
  sticker: { type: 'sticker', media_base64: 'UklGRg==', mime_type: 'image/webp' },
  location: { type: 'location', latitude: 52.52, longitude: 13.405, name: 'Berlin', address: 'Pariser Platz' },
  contact: { type: 'contact', vcard: VCARD, display_name: 'Ada' },
  'reaction to a WhatsApp id': { type: 'reaction', emoji: '👍', message_id: '3EB0C767D71D4A3C5C21' },
  'reaction removed': { type: 'reaction', emoji: '', message_id: '3EB0C767D71D4A3C5C21' },
};

describe('sending a message', () => {
  const given = useConnectedMessageApp();

  const send = (payload: object, url = `/v1/instances/${given.instanceId}/messages`) =>
    given.subject.app.inject({ method: 'POST', url, headers: given.tenant.auth, payload });

  for (const [name, body] of Object.entries(BODIES)) {
    it(`accepts ${name} with 202 queued and stages the body as given`, async () => {
      const to = name.startsWith('group') ? '120363040000000000@g.us' : '4915112345678';
      const response = await send({ to, body });
      expect(response.statusCode).toBe(202);
      const accepted = response.json();
      expect(accepted).toEqual({ message_id: expect.stringMatching(/^msg_/), client_ref: null, status: 'queued' });
      const { media_base64: _inline, ...shown } = body as { media_base64?: string };
      const stored = await given.subject.app.inject({ method: 'GET', url: `/v1/messages/${accepted.message_id}`, headers: given.tenant.auth });
      expect(stored.json()).toMatchObject({ instance_id: given.instanceId, status: 'queued', body: shown });
      expect(stored.json().body).not.toHaveProperty('media_base64');
    });
  }

  it('stages the recipient as a JID and wakes the instance outbox', async () => {
    const response = await send({ to: '4915112345678', body: BODIES.text!, client_ref: 'order-1' });
    expect(response.json().client_ref).toBe('order-1');
    expect(response.headers.location).toBe(`/v1/messages/${response.json().message_id}`);
    const stored = await given.subject.app.inject({ method: 'GET', url: response.headers.location as string, headers: given.tenant.auth });
    expect(stored.json()).toMatchObject({ to: '4915112345678@s.whatsapp.net', client_ref: 'order-1' });
    expect(given.subject.woken).toEqual([`outbox:${given.instanceId}`]);
  });

  it('accepts user, group and LID JIDs as the recipient', async () => {
    for (const to of ['4915112345678@s.whatsapp.net', '120363040000000000@g.us', '123456789012345@lid']) {
      const response = await send({ to, body: BODIES.text! });
      expect(response.statusCode, to).toBe(202);
    }
  });

  it('quotes one of our messages with reply_to and reacts to it by its msg_ id', async () => {
    const first = (await send({ to: '4915112345678', body: BODIES.text! })).json().message_id;
    const reply = await send({ to: '4915112345678', body: { type: 'text', text: 'Re' }, reply_to: first });
    expect(reply.statusCode).toBe(202);
    const reaction = await send({ to: '4915112345678', body: { type: 'reaction', emoji: '❤️', message_id: first } });
    expect(reaction.statusCode).toBe(202);
    const stored = await given.subject.app.inject({ method: 'GET', url: `/v1/messages/${reply.json().message_id}`, headers: given.tenant.auth });
    expect(stored.json().reply_to).toBe(first);
  });

  it('takes the instance from the body on POST /v1/messages', async () => {
    const response = await send({ instance_id: given.instanceId, to: '4915112345678', body: BODIES.text! }, '/v1/messages');
    expect(response.statusCode).toBe(202);
    const stored = await given.subject.app.inject({ method: 'GET', url: `/v1/messages/${response.json().message_id}`, headers: given.tenant.auth });
    expect(stored.json().instance_id).toBe(given.instanceId);
  });
});
