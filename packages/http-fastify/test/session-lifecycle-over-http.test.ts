import { afterEach, describe, expect, it } from 'vitest';
import { buildSessionTestApp, until, type SessionTestApp } from './support/session-test-app.js';

let subject: SessionTestApp;
afterEach(async () => subject.close());

const get = (url: string, headers: Record<string, string>) => subject.app.inject({ method: 'GET', url, headers });
const statusOf = async (id: string, auth: Record<string, string>) => (await get(`/v1/instances/${id}`, auth)).json().status as string;

describe('session lifecycle over HTTP', () => {
  it('connects (202 with the instance), serves the QR as raw string and PNG data URL, then 409 no_qr once connected', async () => {
    subject = await buildSessionTestApp();
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth);
    const connected = await subject.post(`/v1/instances/${instance.id}/connect`, auth);
    expect(connected.statusCode).toBe(202);
    expect(connected.json()).toMatchObject({ id: instance.id, status: expect.stringMatching(/^(connecting|qr_required)$/) });
    const qr = await get(`/v1/instances/${instance.id}/qr`, auth);
    expect(qr.statusCode).toBe(200);
    expect(qr.json()).toEqual({ qr: expect.any(String), png_data_url: expect.stringMatching(/^data:image\/png;base64,/) });
    await subject.post(`/v1/instances/${instance.id}/sandbox/scan`, auth);
    await until(async () => (await statusOf(instance.id, auth)) === 'connected');
    const noQr = await get(`/v1/instances/${instance.id}/qr`, auth);
    expect(noQr.statusCode).toBe(409);
    expect(noQr.json().error.code).toBe('no_qr');
    const again = await subject.post(`/v1/instances/${instance.id}/connect`, auth);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('invalid_lifecycle_transition');
  });

  it('starts the session lazily on GET /qr', async () => {
    subject = await buildSessionTestApp();
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth);
    const qr = await get(`/v1/instances/${instance.id}/qr`, auth);
    expect(qr.statusCode).toBe(200);
    expect(await statusOf(instance.id, auth)).toBe('qr_required');
  });

  it('gives an 8-character pairing code for a phone number, and 400 for a malformed one', async () => {
    subject = await buildSessionTestApp();
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, 'whatsapp');
    const bad = await subject.post(`/v1/instances/${instance.id}/pair-code`, auth, { phone_number: '+49 151' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0]).toMatchObject({ in: 'body', path: 'phone_number' });
    const response = await subject.post(`/v1/instances/${instance.id}/pair-code`, auth, { phone_number: '4915112345678' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ code: 'FAKE1234' });
    expect(subject.whatsapp.latest(instance.id).calls).toContain('pair:4915112345678');
  });

  it('logs out (disconnected, reason logout) and restarts a connected instance without logging out', async () => {
    subject = await buildSessionTestApp();
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, 'whatsapp');
    await subject.post(`/v1/instances/${instance.id}/connect`, auth);
    subject.whatsapp.latest(instance.id).emit({ type: 'connected', phoneNumber: '4915112345678' });
    await until(async () => (await statusOf(instance.id, auth)) === 'connected');

    const restarted = await subject.post(`/v1/instances/${instance.id}/restart`, auth);
    expect(restarted.statusCode).toBe(202);
    expect(restarted.json()).toMatchObject({ status: 'reconnecting', status_reason: 'restart' });
    expect(subject.whatsapp.sessions.filter((s) => s.instanceId === instance.id)[0]!.calls).toEqual(['connect', 'close']);

    const loggedOut = await subject.post(`/v1/instances/${instance.id}/logout`, auth);
    expect(loggedOut.statusCode).toBe(200);
    expect(loggedOut.json()).toMatchObject({ status: 'disconnected', status_reason: 'logout' });
    expect(subject.whatsapp.latest(instance.id).calls.at(-1)).toBe('logout');
    const twice = await subject.post(`/v1/instances/${instance.id}/logout`, auth);
    expect(twice.statusCode).toBe(409);
  });

  it("answers another customer's instance with 404 and a key bound elsewhere with 403, on every route", async () => {
    subject = await buildSessionTestApp();
    const alice = await subject.newCustomer('Alice');
    const bob = await subject.newCustomer('Bob');
    const instance = await subject.newInstance(alice.auth);
    const bound = await subject.newKey(alice.customerId, (await subject.newInstance(alice.auth)).id);
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
      const url = `/v1/instances/${instance.id}/${path}`;
      const ask = (headers: Record<string, string>) => subject.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      expect((await ask(bob.auth)).statusCode, `${path} as another customer`).toBe(404);
      expect((await ask(bound.auth)).statusCode, `${path} with a key bound elsewhere`).toBe(403);
      expect((await ask({})).statusCode, `${path} without a key`).toBe(401);
    }
    expect(await statusOf(instance.id, alice.auth)).toBe('pending');
  });
});
