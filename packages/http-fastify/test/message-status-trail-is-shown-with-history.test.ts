import { describe, expect, it } from 'vitest';
import { useConnectedMessageApp } from './support/use-connected-message-app.js';

describe('reading messages', () => {
  const given = useConnectedMessageApp();

  const send = async (text: string, to = '4915112345678', instance = given.instanceId): Promise<string> => {
    const response = await given.subject.app.inject({
      method: 'POST',
      url: `/v1/instances/${instance}/messages`,
      headers: given.tenant.auth,
      payload: { to, body: { type: 'text', text } },
    });
    return response.json().message_id;
  };
  const get = (url: string) => given.subject.app.inject({ method: 'GET', url, headers: given.tenant.auth });

  it('shows the status, WhatsApp id and the status trail with times, oldest first', async () => {
    const accepted = given.subject.clock.now().toISOString();
    const id = await send('Hello');
    const whatsappId = await given.subject.advance(given.instanceId, ['delivered', 'read']);
    const response = await get(`/v1/messages/${id}`);
    expect(response.statusCode).toBe(200);
    const message = response.json();
    expect(message).toMatchObject({ id, instance_id: given.instanceId, status: 'read', whatsapp_id: whatsappId, error: null });
    expect(message.history.map((entry: { status: string }) => entry.status)).toEqual(['queued', 'sent', 'delivered', 'read']);
    expect(message.history[0]).toEqual({ status: 'queued', at: accepted, participant: null, error: null });
    const times = message.history.map((entry: { at: string }) => Date.parse(entry.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(times).size).toBe(4);
  });

  it('shows a failed message with its error code and message, in the body and the trail', async () => {
    const id = await send('Hello');
    const claim = await given.subject.uow.repos.messages.claimNext(given.instanceId, {
      now: given.subject.clock.now(),
      until: new Date(given.subject.clock.now().getTime() + 60_000),
      token: 'tok',
    });
    expect(claim.claimed).toBe(true);
    const error = { code: 'recipient_not_on_whatsapp', message: 'The number is not on WhatsApp.' };
    await given.subject.uow.repos.messages.markFailed(id, 'tok', { error, at: given.subject.clock.now() });
    const message = (await get(`/v1/messages/${id}`)).json();
    expect(message).toMatchObject({ status: 'failed', whatsapp_id: null, error });
    expect(message.history.at(-1)).toMatchObject({ status: 'failed', error });
  });

  it('lists messages newest first, pages with a cursor and filters by instance and status', async () => {
    const second = await given.subject.newInstance(given.tenant.auth, { status: 'connected' });
    const ids = [await send('1'), await send('2'), await send('3'), await send('4', '4915112345678', second)];
    await given.subject.advance(given.instanceId);

    const firstPage = (await get('/v1/messages?limit=3')).json();
    expect(firstPage.data.map((m: { id: string }) => m.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(firstPage.data[0]).not.toHaveProperty('history');
    const rest = (await get(`/v1/messages?limit=3&cursor=${firstPage.next_cursor}`)).json();
    expect(rest).toEqual({ data: [expect.objectContaining({ id: ids[0] })], next_cursor: null });

    const bySecond = (await get(`/v1/messages?instance_id=${second}`)).json().data;
    expect(bySecond.map((m: { id: string }) => m.id)).toEqual([ids[3]]);
    const sent = (await get('/v1/messages?status=sent')).json().data;
    expect(sent.map((m: { id: string }) => m.id)).toEqual([ids[0]]);
  });

  it('answers an unknown status filter or a bad limit with 400', async () => {
    for (const query of ['status=lost', 'limit=0', 'limit=101', 'limit=two']) {
      const response = await get(`/v1/messages?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.details.issues[0]).toMatchObject({ in: 'query' });
    }
  });
});
