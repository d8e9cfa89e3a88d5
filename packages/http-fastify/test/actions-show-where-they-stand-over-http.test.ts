import { describe, expect, it } from 'vitest';
import { useConnectedMessageApp } from './support/use-connected-message-app.js';

describe('GET /v1/actions/:id', () => {
  const ctx = useConnectedMessageApp();
  const call = (method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object, auth = ctx.tenant.auth) =>
    ctx.subject.app.inject({ method, url, headers: auth, ...(payload !== undefined && { payload }) });

  it('shows a staged edit queued, then performed once the outbox took it', async () => {
    const id = (await call('POST', `/v1/instances/${ctx.instanceId}/messages`, { to: '4915112345678', body: { type: 'text', text: 'Helo' } })).json().message_id;
    await ctx.subject.advance(ctx.instanceId);
    const actionId = (await call('PATCH', `/v1/messages/${id}`, { text: 'Hello' })).json().action_id as string;
    const queued = await call('GET', `/v1/actions/${actionId}`);
    expect(queued.statusCode).toBe(200);
    expect(queued.json()).toEqual({
      action_id: actionId,
      instance_id: ctx.instanceId,
      type: 'edit',
      target: '4915112345678@s.whatsapp.net',
      status: 'queued',
      error: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    await ctx.subject.advance(ctx.instanceId);
    expect((await call('GET', `/v1/actions/${actionId}`)).json()).toMatchObject({ status: 'performed' });
  });

  it('answers 404 for a message id, an unknown id and another customer’s action', async () => {
    const id = (await call('POST', `/v1/instances/${ctx.instanceId}/messages`, { to: '4915112345678', body: { type: 'text', text: 'Helo' } })).json().message_id;
    await ctx.subject.advance(ctx.instanceId);
    const actionId = (await call('PATCH', `/v1/messages/${id}`, { text: 'Hello' })).json().action_id as string;
    const stranger = await ctx.subject.newCustomer('Stranger');
    for (const response of [
      await call('GET', `/v1/actions/${id}`),
      await call('GET', '/v1/actions/act_01JB0000000000000000000000'),
      await call('GET', `/v1/actions/${actionId}`, undefined, stranger.auth),
      await call('GET', `/v1/messages/${actionId}`),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});
