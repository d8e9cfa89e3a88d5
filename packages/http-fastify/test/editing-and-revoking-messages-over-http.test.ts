import { describe, expect, it } from 'vitest';
import { useConnectedMessageApp } from './support/use-connected-message-app.js';

const text = { to: '4915112345678', body: { type: 'text', text: 'Helo' } };

describe('editing and revoking messages over HTTP', () => {
  const ctx = useConnectedMessageApp();
  const call = (method: 'PATCH' | 'DELETE' | 'POST', url: string, payload?: object, auth = ctx.tenant.auth) =>
    ctx.subject.app.inject({ method, url, headers: auth, ...(payload !== undefined && { payload }) });
  const sent = async (request: object = text) => {
    const id = (await call('POST', `/v1/instances/${ctx.instanceId}/messages`, request)).json().message_id as string;
    await ctx.subject.advance(ctx.instanceId);
    return id;
  };

  it('accepts an edit and a revoke of a sent text message with 202, once per Idempotency-Key', async () => {
    const id = await sent();
    const edit = await call('PATCH', `/v1/messages/${id}`, { text: 'Hello' });
    expect(edit.statusCode).toBe(202);
    expect(edit.json()).toEqual({ action_id: expect.stringMatching(/^act_/), status: 'queued' });
    const keyed = { ...ctx.tenant.auth, 'idempotency-key': 'revoke-1' };
    const revoke = await call('DELETE', `/v1/messages/${id}`, undefined, keyed);
    expect(revoke.statusCode).toBe(202);
    const again = await call('DELETE', `/v1/messages/${id}`, undefined, keyed);
    expect(again.json()).toEqual(revoke.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('answers an image 409 conflict, a queued message 409, a late edit 409 edit_window_passed, empty text 400, a stranger 404', async () => {
    const id = await sent();
    const image = await sent({ to: '4915112345678', body: { type: 'image', media_base64: Buffer.from('89504e470d0a1a0a', 'hex').toString('base64'), mime_type: 'image/png' } });
    const queued = (await call('POST', `/v1/instances/${ctx.instanceId}/messages`, text)).json().message_id as string;
    const stranger = await ctx.subject.newCustomer('Stranger');
    const expectations: Array<[number, string, Promise<{ statusCode: number; json(): any }>]> = [
      [409, 'conflict', call('PATCH', `/v1/messages/${image}`, { text: 'x' })],
      [409, 'conflict', call('DELETE', `/v1/messages/${queued}`)],
      [400, 'invalid_input', call('PATCH', `/v1/messages/${id}`, { text: '' })],
      [404, 'not_found', call('PATCH', `/v1/messages/${id}`, { text: 'x' }, stranger.auth)],
      [404, 'not_found', call('DELETE', `/v1/messages/${id}`, undefined, stranger.auth)],
    ];
    for (const [status, code, response] of expectations) {
      const answer = await response;
      expect(answer.statusCode, JSON.stringify(answer.json())).toBe(status);
      expect(answer.json()).toMatchObject({ error: { code } });
    }
    ctx.subject.clock.advance(15 * 60_000 + 1);
    const late = await call('PATCH', `/v1/messages/${id}`, { text: 'too late' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'edit_window_passed' } });
  });

  it('forwards a message as a new queued msg_ with 202, once per Idempotency-Key, and answers a stranger 404', async () => {
    const id = await sent();
    const keyed = { ...ctx.tenant.auth, 'idempotency-key': 'fwd-1' };
    const forward = await call('POST', `/v1/messages/${id}/forward`, { to: '4915112345679' }, keyed);
    expect(forward.statusCode).toBe(202);
    expect(forward.json()).toEqual({ message_id: expect.stringMatching(/^msg_/), client_ref: null, status: 'queued' });
    expect(forward.json().message_id).not.toBe(id);
    const again = await call('POST', `/v1/messages/${id}/forward`, { to: '4915112345679' }, keyed);
    expect(again.json()).toEqual(forward.json());
    const shown = await ctx.subject.app.inject({ method: 'GET', url: `/v1/messages/${forward.json().message_id}`, headers: ctx.tenant.auth });
    expect(shown.json()).toMatchObject({ to: '4915112345679@s.whatsapp.net', body: { type: 'text', text: 'Helo' } });
    const stranger = await ctx.subject.newCustomer('Stranger');
    expect((await call('POST', `/v1/messages/${id}/forward`, { to: '4915112345679' }, stranger.auth)).statusCode).toBe(404);
    expect((await call('POST', `/v1/messages/${id}/forward`, { to: 'nobody' })).statusCode).toBe(400);
  });
});
