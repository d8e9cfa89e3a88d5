/*
 * The chat list over the real session manager and core's in-memory simulated phone: an injected message opens
 * a chat with one unread; PATCH and DELETE are staged in the outbox (202) and the chat follows when the phone
 * reports the change (`chat.archived`, `chat.pinned`, `chat.updated`); bad input is 400 and an unknown chat 404
 * in the error envelope; another customer gets 404 and a key bound to another instance 403.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@whatisup/test-infra';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

let subject: TestApp<{ sessions: true }>;
afterEach(async () => subject.close());

async function chatWithAlice() {
  subject = await buildTestApp({ sessions: true });
  const tenant = await subject.newCustomer();
  const { auth } = tenant;
  const instance = await subject.newInstance(auth, { kind: 'sandbox' });
  await subject.post(`/v1/instances/${instance}/connect`, auth);
  await until(async () => (await subject.post(`/v1/instances/${instance}/sandbox/scan`, auth)).statusCode === 204);
  await until(async () => (await subject.app.inject({ method: 'GET', url: `/v1/instances/${instance}`, headers: auth })).json().status === 'connected');
  const injected = await subject.post(`/v1/instances/${instance}/sandbox/inbound`, auth, { from: '4915112345678', push_name: 'Alice', body: { type: 'text', text: 'hi' } });
  expect(injected.statusCode, injected.body).toBe(201);
  await until(() => subject.inbound.length === 1);
  return { tenant, auth, instance };
}

const request = (method: 'GET' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
  subject.app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });

describe('chats over HTTP', () => {
  it('lists a chat opened by an inbound message, and archives, pins and mutes it through the outbox', async () => {
    const { auth, instance } = await chatWithAlice();
    const base = `/v1/instances/${instance}/chats`;
    await until(async () => (await request('GET', base, auth)).json().data.length === 1);
    expect((await request('GET', base, auth)).json()).toEqual({
      data: [
        {
          chat_id: '4915112345678@s.whatsapp.net',
          name: 'Alice',
          is_group: false,
          unread_count: 1,
          unread: true,
          archived: false,
          pinned: false,
          muted_until: null,
          ephemeral_seconds: 0,
          last_activity_at: expect.any(String),
          updated_at: expect.any(String),
        },
      ],
      next_cursor: null,
    });
    const until2030 = '2030-01-01T00:00:00.000Z';
    for (const body of [{ archived: true }, { pinned: true }, { muted_until: until2030, unread: false }]) {
      const accepted = await request('PATCH', `${base}/4915112345678`, auth, body);
      expect(accepted.statusCode, accepted.body).toBe(202);
      expect(accepted.json()).toEqual({ action_id: expect.stringMatching(/^act_/), status: 'queued' });
    }
    await subject.drainOutbox(instance);
    await until(() => subject.recorder.envelopes().filter((e) => e.event.startsWith('chat.')).length === 3);
    expect(subject.recorder.envelopes().filter((e) => e.event.startsWith('chat.')).map((e) => e.event)).toEqual(['chat.archived', 'chat.pinned', 'chat.updated']);
    const chat = (await request('GET', `${base}/4915112345678@s.whatsapp.net`, auth)).json();
    expect(chat).toMatchObject({ archived: true, pinned: true, muted_until: until2030, unread_count: 0, unread: false });
    expect((await request('GET', `${base}?archived=true&unread=false`, auth)).json().data).toHaveLength(1);
    expect((await request('GET', `${base}?archived=false`, auth)).json().data).toHaveLength(0);

    expect((await request('DELETE', `${base}/4915112345678`, auth)).statusCode).toBe(202);
    await subject.drainOutbox(instance);
    await until(async () => (await request('GET', `${base}/4915112345678`, auth)).statusCode === 404);
  });

  it('answers bad input with 400, an unknown chat with 404, another customer with 404 and a bound key with 403', async () => {
    const { tenant, auth, instance } = await chatWithAlice();
    const base = `/v1/instances/${instance}/chats`;
    await until(async () => (await request('GET', base, auth)).json().data.length === 1);
    const bad = [
      await request('PATCH', `${base}/4915112345678`, auth, { muted_until: '2020-01-01T00:00:00Z' }),
      await request('PATCH', `${base}/4915112345678`, auth, {}),
      await request('PATCH', `${base}/4915112345678`, auth, { ephemeral_seconds: 42 }),
      await request('PATCH', `${base}/4915112345678`, auth, { archived: 'yes' }),
      await request('GET', `${base}/not-a-chat`, auth),
      await request('GET', `${base}?unread=1`, auth),
      await request('GET', `${base}?cursor=bogus`, auth),
    ];
    for (const response of bad) {
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
    for (const response of [
      await request('GET', `${base}/4915199999999`, auth),
      await request('PATCH', `${base}/4915199999999`, auth, { pinned: true }),
      await request('DELETE', `${base}/4915199999999`, auth),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    const stranger = await subject.newCustomer('Other');
    expect((await request('GET', base, stranger.auth)).statusCode).toBe(404);
    expect((await request('GET', `${base}/4915112345678`, stranger.auth)).statusCode).toBe(404);
    const other = await subject.newInstance(auth, { kind: 'sandbox' });
    const bound = await subject.newKey(tenant.customerId, other);
    for (const response of [await request('GET', base, bound.auth), await request('PATCH', `${base}/4915112345678`, bound.auth, { pinned: true })]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
  });
});
