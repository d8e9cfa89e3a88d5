import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import type { Tenant, TestApp } from './support/build-test-app.js';
import { buildTestAppWithTenant } from './support/build-test-app-with-tenant.js';

describe('reading messages', () => {
  let subject: TestApp<{ clock: FakeClock; messages: true }>;
  let tenant: Tenant;
  let instanceId: string;
  beforeEach(async () => {
    ({ subject, tenant, instanceId } = await buildTestAppWithTenant({ clock: createFakeClock(), messages: true }, { status: 'connected' }));
  });
  afterEach(async () => subject.app.close());

  const send = async (text: string, to = '4915112345678', instance = instanceId): Promise<string> => {
    const response = await subject.app.inject({
      method: 'POST',
      url: `/v1/instances/${instance}/messages`,
      headers: tenant.auth,
      payload: { to, body: { type: 'text', text } },
    });
    return response.json().message_id;
  };
  const get = (url: string) => subject.app.inject({ method: 'GET', url, headers: tenant.auth });

  it('shows the status, WhatsApp id and the status trail with times, oldest first', async () => {
    const accepted = subject.clock.now().toISOString();
    const id = await send('Hello');
    const whatsappId = await subject.advance(instanceId, ['delivered', 'read']);
    const response = await get(`/v1/messages/${id}`);
    expect(response.statusCode).toBe(200);
    const message = response.json();
    expect(message).toMatchObject({ id, instance_id: instanceId, status: 'read', whatsapp_id: whatsappId, error: null });
    expect(message.history.map((entry: { status: string }) => entry.status)).toEqual(['queued', 'sent', 'delivered', 'read']);
    expect(message.history[0]).toEqual({ status: 'queued', at: accepted, participant: null, error: null });
    const times = message.history.map((entry: { at: string }) => Date.parse(entry.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(times).size).toBe(4);
  });

  it('shows a failed message with its error code and message, in the body and the trail', async () => {
    const id = await send('Hello');
    const claim = await subject.uow.repos.messages.claimNext(instanceId, {
      now: subject.clock.now(),
      until: new Date(subject.clock.now().getTime() + 60_000),
      token: 'tok',
    });
    expect(claim.claimed).toBe(true);
    const error = { code: 'recipient_not_on_whatsapp', message: 'The number is not on WhatsApp.' };
    await subject.uow.repos.messages.markFailed(id, 'tok', { error, at: subject.clock.now() });
    const message = (await get(`/v1/messages/${id}`)).json();
    expect(message).toMatchObject({ status: 'failed', whatsapp_id: null, error });
    expect(message.history.at(-1)).toMatchObject({ status: 'failed', error });
  });

  it('lists messages newest first, pages with a cursor and filters by instance and status', async () => {
    const second = await subject.newInstance(tenant.auth, { status: 'connected' });
    const ids = [await send('1'), await send('2'), await send('3'), await send('4', '4915112345678', second)];
    await subject.advance(instanceId);

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
