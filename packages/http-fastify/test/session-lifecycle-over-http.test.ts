import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';
import { until } from '@whatisup/test-infra';

let subject: TestApp<{ sessions: true }>;
afterEach(async () => subject.close());

const get = (url: string, headers: Record<string, string>) => subject.app.inject({ method: 'GET', url, headers });
const statusOf = async (id: string, auth: Record<string, string>) => (await get(`/v1/instances/${id}`, auth)).json().status as string;

describe('session lifecycle over HTTP', () => {
  it('connects (202 with the instance), serves the QR as raw string and PNG data URL, then 409 no_qr once connected', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, { kind: 'sandbox' });
    const connected = await subject.post(`/v1/instances/${instance}/connect`, auth);
    expect(connected.statusCode).toBe(202);
    expect(connected.json()).toMatchObject({ id: instance, status: expect.stringMatching(/^(connecting|qr_required)$/) });
    const qr = await get(`/v1/instances/${instance}/qr`, auth);
    expect(qr.statusCode).toBe(200);
    expect(qr.json()).toEqual({ qr: expect.any(String), png_data_url: expect.stringMatching(/^data:image\/png;base64,/) });
    await subject.post(`/v1/instances/${instance}/sandbox/scan`, auth);
    await until(async () => (await statusOf(instance, auth)) === 'connected');
    const noQr = await get(`/v1/instances/${instance}/qr`, auth);
    expect(noQr.statusCode).toBe(409);
    expect(noQr.json().error.code).toBe('no_qr');
    const again = await subject.post(`/v1/instances/${instance}/connect`, auth);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('invalid_lifecycle_transition');
  });

  it('starts the session lazily on GET /qr', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, { kind: 'sandbox' });
    const qr = await get(`/v1/instances/${instance}/qr`, auth);
    expect(qr.statusCode).toBe(200);
    expect(await statusOf(instance, auth)).toBe('qr_required');
  });

  it('gives an 8-character pairing code for a phone number, and 400 for a malformed one', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, { kind: 'whatsapp' });
    const bad = await subject.post(`/v1/instances/${instance}/pair-code`, auth, { phone_number: '+49 151' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0]).toMatchObject({ in: 'body', path: 'phone_number' });
    const response = await subject.post(`/v1/instances/${instance}/pair-code`, auth, { phone_number: '4915112345678' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ code: 'FAKE1234' });
    expect(subject.whatsapp.latest(instance).calls).toContain('pair:4915112345678');
  });

  it('logs out (disconnected, reason logout) and restarts a connected instance without logging out', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, { kind: 'whatsapp' });
    await subject.post(`/v1/instances/${instance}/connect`, auth);
    subject.whatsapp.latest(instance).emit({ type: 'connected', phoneNumber: '4915112345678' });
    await until(async () => (await statusOf(instance, auth)) === 'connected');

    const restarted = await subject.post(`/v1/instances/${instance}/restart`, auth);
    expect(restarted.statusCode).toBe(202);
    expect(restarted.json()).toMatchObject({ status: 'reconnecting', status_reason: 'restart' });
    expect(subject.whatsapp.sessions.filter((s) => s.instanceId === instance)[0]!.calls).toEqual(['connect', 'close']);

    const loggedOut = await subject.post(`/v1/instances/${instance}/logout`, auth);
    expect(loggedOut.statusCode).toBe(200);
    expect(loggedOut.json()).toMatchObject({ status: 'disconnected', status_reason: 'logout' });
    expect(subject.whatsapp.latest(instance).calls.at(-1)).toBe('logout');
    const twice = await subject.post(`/v1/instances/${instance}/logout`, auth);
    expect(twice.statusCode).toBe(409);
  });

  it("answers another customer's instance with 404 and a key bound elsewhere with 403, on every route", async () => {
    subject = await buildTestApp({ sessions: true });
    const alice = await subject.newCustomer('Alice');
    const bob = await subject.newCustomer('Bob');
    const instance = await subject.newInstance(alice.auth, { kind: 'sandbox' });
    const bound = await subject.newKey(alice.customerId, await subject.newInstance(alice.auth, { kind: 'sandbox' }));
    const calls = [
      ['POST', 'connect', undefined],
      ['GET', 'qr', undefined],
      ['POST', 'pair-code', { phone_number: '4915112345678' }],
      ['POST', 'logout', undefined],
      ['POST', 'restart', undefined],
      ['POST', 'sandbox/scan', undefined],
      ['POST', 'sandbox/inbound', { from: '4915112345678', body: { type: 'text', text: 'hi' } }],
    ] as const;
    for (const [method, path, payload] of calls) {
      const url = `/v1/instances/${instance}/${path}`;
      const ask = (headers: Record<string, string>) => subject.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      expect((await ask(bob.auth)).statusCode, `${path} as another customer`).toBe(404);
      expect((await ask(bound.auth)).statusCode, `${path} with a key bound elsewhere`).toBe(403);
      expect((await ask({})).statusCode, `${path} without a key`).toBe(401);
    }
    expect(await statusOf(instance, alice.auth)).toBe('pending');
  });
});
