/*
 * The contact routes over the real session manager and core's in-memory simulated phone (the sandbox rules:
 * numbers ending in 0 are not on WhatsApp, a LID is the number's digits reversed, …7777 never answers).
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

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
  subject.app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });

describe('contacts over HTTP', () => {
  it('checks numbers, gets a contact by LID, resolves a LID, and answers profile and picture', async () => {
    const { auth, instance } = await connectedSandbox();
    const check = await call('POST', `/v1/instances/${instance}/contacts/check`, auth, { phone_numbers: ['4915112345678', '4915112345670'] });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toEqual({
      data: [
        { input: '4915112345678', exists: true, jid: '4915112345678@s.whatsapp.net', lid: '8765432115194@lid' },
        { input: '4915112345670', exists: false, jid: null, lid: null },
      ],
    });
    const contact = await call('GET', `/v1/instances/${instance}/contacts/9765432115194@lid`, auth);
    expect(contact.json()).toEqual({ jid: '4915112345679@s.whatsapp.net', phone_number: '4915112345679', lid: '9765432115194@lid', push_name: null, is_business: true });
    expect((await call('GET', `/v1/instances/${instance}/lids/8765432115194@lid`, auth)).json()).toEqual({ lid: '8765432115194@lid', phone_number: '4915112345678' });
    expect((await call('GET', `/v1/instances/${instance}/contacts/4915112345679/business-profile`, auth)).json()).toMatchObject({ category: 'Testing' });
    const picture = await call('GET', `/v1/instances/${instance}/contacts/4915112345671/profile-picture`, auth);
    expect(picture.json()).toEqual({ url: expect.stringMatching(/^http:\/\/localhost\/v1\/media\//), expires_at: expect.any(String) });
    expect((await call('GET', `/v1/instances/${instance}/contacts/4915112345678/profile-picture`, auth)).json()).toEqual({ url: null, expires_at: null });
  });

  it('answers bad input 400, an unknown contact 404, a silent WhatsApp 504 and a down instance 409, in the envelope', async () => {
    const { auth, instance, tenant } = await connectedSandbox();
    const numbers = Array.from({ length: 51 }, (_, i) => `49151000000${String(i).padStart(2, '0')}`);
    const cases: Array<[number, string, Promise<{ statusCode: number; json(): any }>]> = [
      [400, 'invalid_input', call('POST', `/v1/instances/${instance}/contacts/check`, auth, { phone_numbers: numbers })],
      [400, 'invalid_input', call('POST', `/v1/instances/${instance}/contacts/check`, auth, { phone_numbers: [] })],
      [400, 'invalid_input', call('GET', `/v1/instances/${instance}/contacts/+4915112345678`, auth)],
      [400, 'invalid_input', call('GET', `/v1/instances/${instance}/lids/abc`, auth)],
      [404, 'not_found', call('GET', `/v1/instances/${instance}/contacts/4915112345670`, auth)],
      [404, 'not_found', call('GET', `/v1/instances/${instance}/contacts/4915112345678/business-profile`, auth)],
      [504, 'upstream_timeout', call('GET', `/v1/instances/${instance}/contacts/4915112347777`, auth)],
    ];
    const down = await subject.newInstance(auth, { kind: 'sandbox' });
    cases.push([409, 'not_connected', call('GET', `/v1/instances/${down}/blocklist`, auth)]);
    cases.push([409, 'not_connected', call('POST', `/v1/instances/${down}/contacts/4915112345678/block`, auth)]);
    const stranger = await subject.newCustomer('Other');
    cases.push([404, 'not_found', call('GET', `/v1/instances/${instance}/blocklist`, stranger.auth)]);
    const bound = await subject.newKey(tenant.customerId, down);
    cases.push([403, 'forbidden', call('GET', `/v1/instances/${instance}/lids/8765432115194@lid`, bound.auth)]);
    cases.push([403, 'forbidden', call('POST', `/v1/instances/${instance}/contacts/4915112345678/block`, bound.auth)]);
    for (const [status, code, response] of cases) {
      const answer = await response;
      expect(answer.statusCode, JSON.stringify(answer.json())).toBe(status);
      expect(answer.json()).toMatchObject({ error: { code, message: expect.any(String) }, request_id: expect.stringMatching(/^req_/) });
    }
  });

  it('blocks and unblocks with 202 through the outbox, once per Idempotency-Key', async () => {
    const { auth, instance } = await connectedSandbox();
    const keyed = { ...auth, 'idempotency-key': 'block-ann' };
    const block = await call('POST', `/v1/instances/${instance}/contacts/4915112345678/block`, keyed);
    expect(block.statusCode).toBe(202);
    expect(block.json()).toEqual({ action_id: expect.stringMatching(/^act_/), status: 'queued' });
    const repeat = await call('POST', `/v1/instances/${instance}/contacts/4915112345678/block`, keyed);
    expect(repeat.json()).toEqual(block.json());
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect((await call('DELETE', `/v1/instances/${instance}/contacts/4915112345678/block`, keyed)).statusCode).toBe(409);
    expect((await call('GET', `/v1/instances/${instance}/blocklist`, auth)).json()).toEqual({ data: [] });
    await subject.drainOutbox(instance);
    expect((await call('GET', `/v1/instances/${instance}/blocklist`, auth)).json()).toEqual({
      data: [{ jid: '4915112345678@s.whatsapp.net', phone_number: '4915112345678', lid: null }],
    });
    expect((await call('DELETE', `/v1/instances/${instance}/contacts/8765432115194@lid/block`, auth)).statusCode).toBe(202);
    await subject.drainOutbox(instance);
    expect((await call('GET', `/v1/instances/${instance}/blocklist`, auth)).json()).toEqual({ data: [] });
  });
});
