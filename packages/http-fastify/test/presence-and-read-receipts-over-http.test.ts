/*
 * Presence, presence subscriptions and read receipts over the real session manager and core's in-memory
 * simulated phone: each is staged in the outbox (202), performed in order with the sends, and a subscription
 * reports the contact `available` as `presence.updated`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@whatisup/test-infra';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

let subject: TestApp<{ sessions: true }>;
afterEach(async () => subject.close());

async function connectedSandbox() {
  subject = await buildTestApp({ sessions: true });
  const tenant = await subject.newCustomer();
  const { auth } = tenant;
  const instance = await subject.newInstance(auth, { kind: 'sandbox' });
  await subject.post(`/v1/instances/${instance}/connect`, auth);
  await until(async () => (await subject.post(`/v1/instances/${instance}/sandbox/scan`, auth)).statusCode === 204);
  await until(async () => (await subject.app.inject({ method: 'GET', url: `/v1/instances/${instance}`, headers: auth })).json().status === 'connected');
  return { tenant, auth, instance };
}

describe('presence and read receipts over HTTP', () => {
  it('stages presence, a subscription and a read with 202, and reports the subscribed presence', async () => {
    const { auth, instance } = await connectedSandbox();
    const accepted = [
      await subject.post(`/v1/instances/${instance}/presence`, auth, { state: 'available' }),
      await subject.post(`/v1/instances/${instance}/presence`, auth, { state: 'typing', chat_id: '4915112345678' }),
      await subject.post(`/v1/instances/${instance}/presence/subscriptions`, auth, { chat_id: '4915112345679' }),
      await subject.post(`/v1/instances/${instance}/chats/4915112345678/read`, auth),
      await subject.post(`/v1/instances/${instance}/chats/4915112345678@s.whatsapp.net/read`, auth, { message_ids: ['3EB0ABC'] }),
    ];
    for (const response of accepted) {
      expect(response.statusCode, response.body).toBe(202);
      expect(response.json()).toEqual({ action_id: expect.stringMatching(/^act_/), status: 'queued' });
    }
    await subject.drainOutbox(instance);
    await until(() => subject.recorder.envelopes().some((e) => e.event === 'presence.updated'));
    const presence = subject.recorder.envelopes().find((e) => e.event === 'presence.updated')!;
    expect(presence.data).toEqual({
      chat_id: '4915112345679@s.whatsapp.net',
      participant: '4915112345679',
      phone_number: '4915112345679',
      lid: '9765432115194@lid',
      state: 'available',
      last_seen: null,
    });
  });

  it('refuses an unknown state, typing without a chat, a bad chat and too many ids with 400', async () => {
    const { auth, instance } = await connectedSandbox();
    const bad: Array<[string, object]> = [
      [`/v1/instances/${instance}/presence`, { state: 'dancing' }],
      [`/v1/instances/${instance}/presence`, { state: 'typing' }],
      [`/v1/instances/${instance}/presence`, { state: 'typing', chat_id: '+49' }],
      [`/v1/instances/${instance}/presence/subscriptions`, {}],
      [`/v1/instances/${instance}/chats/4915112345678/read`, { message_ids: Array.from({ length: 101 }, (_, i) => `id${i}`) }],
      [`/v1/instances/${instance}/chats/not-a-chat/read`, {}],
    ];
    for (const [url, body] of bad) {
      const response = await subject.post(url, auth, body);
      expect(response.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
  });

  it('answers 409 not_connected on a down instance and 403 to a key bound to another instance', async () => {
    const { auth, instance, tenant } = await connectedSandbox();
    const down = await subject.newInstance(auth, { kind: 'sandbox' });
    expect((await subject.post(`/v1/instances/${down}/presence`, auth, { state: 'available' })).statusCode).toBe(409);
    const bound = await subject.newKey(tenant.customerId, down);
    for (const [url, body] of [
      [`/v1/instances/${instance}/presence`, { state: 'available' }],
      [`/v1/instances/${instance}/presence/subscriptions`, { chat_id: '4915112345678' }],
      [`/v1/instances/${instance}/chats/4915112345678/read`, {}],
    ] as const) {
      expect((await subject.post(url, bound.auth, body)).statusCode).toBe(403);
    }
  });
});

describe('the OpenAPI document of the conversation routes', () => {
  it('documents the contact, presence and chat routes with their 202, 409 and 504 answers', async () => {
    subject = await buildTestApp({ sessions: true });
    const document = (await subject.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const read = document.paths['/v1/instances/{id}/chats/{chat_id}/read'].post;
    expect(Object.keys(read.responses)).toEqual(expect.arrayContaining(['202', '403', '404', '409']));
    expect(read.requestBody.content['application/json'].schema.properties.message_ids.maxItems).toBe(100);
    const check = document.paths['/v1/instances/{id}/contacts/check'].post;
    expect(Object.keys(check.responses)).toEqual(expect.arrayContaining(['200', '409', '503', '504']));
    expect(document.paths['/v1/instances/{id}/lids/{lid}'].get.responses['504']).toBeDefined();
    expect(document.paths['/v1/instances/{id}/contacts/{contact}/block'].delete.responses['202']).toBeDefined();
    expect(document.components.schemas['EventData.contact.resolved']).toBeDefined();
    expect(document.components.schemas['EventData.presence.updated']).toBeDefined();
  });
});
