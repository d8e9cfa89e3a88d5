import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import { buildTestApp, type TestApp, type Tenant } from './support/build-test-app.js';

const request = { to: '4915112345678', body: { type: 'text', text: 'Hi' } };

describe('message scoping and instance state', () => {
  let subject: TestApp<{ clock: FakeClock; messages: true }>;
  let owner: Tenant;
  let mine: string;
  let other: string;
  let bound: Tenant;
  beforeEach(async () => {
    subject = await buildTestApp({ clock: createFakeClock(), messages: true });
    owner = await subject.newCustomer();
    mine = await subject.newInstance(owner.auth, { status: 'connected' });
    other = await subject.newInstance(owner.auth, { status: 'connected' });
    bound = await subject.newKey(owner.customerId, mine);
  });
  afterEach(async () => subject.app.close());

  const send = (who: Tenant, instanceId: string) =>
    subject.app.inject({ method: 'POST', url: `/v1/instances/${instanceId}/messages`, headers: who.auth, payload: request });
  const get = (who: Tenant, url: string) => subject.app.inject({ method: 'GET', url, headers: who.auth });

  it("answers another customer's instance and message with 404, and lists none of them", async () => {
    const id = (await send(owner, mine)).json().message_id;
    const stranger = await subject.newCustomer('Stranger');
    const viaPath = await send(stranger, mine);
    expect(viaPath.statusCode).toBe(404);
    expect(viaPath.json().error.code).toBe('not_found');
    const viaBody = await subject.app.inject({ method: 'POST', url: '/v1/messages', headers: stranger.auth, payload: { ...request, instance_id: mine } });
    expect(viaBody.statusCode).toBe(404);
    expect((await get(stranger, `/v1/messages/${id}`)).statusCode).toBe(404);
    expect((await get(stranger, '/v1/messages')).json().data).toEqual([]);
    expect((await get(owner, '/v1/messages')).json().data).toHaveLength(1);
  });

  it('lets an instance-bound key send and read on its instance only', async () => {
    const own = await send(bound, mine);
    expect(own.statusCode).toBe(202);
    const refused = await send(bound, other);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');

    const elsewhere = (await send(owner, other)).json().message_id;
    expect((await get(bound, `/v1/messages/${elsewhere}`)).statusCode).toBe(404);
    expect((await get(bound, `/v1/messages/${own.json().message_id}`)).statusCode).toBe(200);
    expect((await get(bound, '/v1/messages')).json().data.map((m: { id: string }) => m.id)).toEqual([own.json().message_id]);
    expect((await get(bound, `/v1/messages?instance_id=${other}`)).statusCode).toBe(403);
  });

  it('answers 409 not_connected unless the instance is connected or reconnecting', async () => {
    for (const status of ['pending', 'qr_required', 'connecting', 'disconnected'] as const) {
      const instanceId = await subject.newInstance(owner.auth, { status });
      const response = await send(owner, instanceId);
      expect(response.statusCode, status).toBe(409);
      expect(response.json().error).toMatchObject({ code: 'not_connected', details: { instance_id: instanceId, status } });
    }
    expect((await send(owner, await subject.newInstance(owner.auth, { status: 'reconnecting' }))).statusCode).toBe(202);
  });

  it('answers an unknown message id with 404 and a request without a key with 401', async () => {
    expect((await get(owner, '/v1/messages/msg_01JB0000000000000000000000')).json().error.code).toBe('not_found');
    const anonymous = await subject.app.inject({ method: 'POST', url: `/v1/instances/${mine}/messages`, payload: request });
    expect(anonymous.statusCode).toBe(401);
  });
});
