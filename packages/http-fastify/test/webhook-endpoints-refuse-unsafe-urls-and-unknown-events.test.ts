import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import type { Tenant, TestApp } from './support/build-test-app.js';
import { buildTestAppWithTenant } from './support/build-test-app-with-tenant.js';

describe('webhook endpoint URL and event validation', () => {
  let subject: TestApp<{ clock: FakeClock; webhooks: true }>;
  let tenant: Tenant;
  beforeEach(async () => {
    ({ subject, tenant } = await buildTestAppWithTenant({ clock: createFakeClock(), webhooks: true }));
  });
  afterEach(async () => subject.app.close());

  const create = (payload: object) =>
    subject.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: tenant.auth, payload });
  const list = async () =>
    (await subject.app.inject({ method: 'GET', url: '/v1/webhook-endpoints', headers: tenant.auth })).json().data;

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['localhost', 'http://localhost/hook'],
    ['private', 'https://10.1.2.3/hook'],
    ['private 192.168', 'https://192.168.0.10/hook'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 loopback', 'http://[::1]/hook'],
  ])('refuses a %s URL with 422 unsafe_url, the reason in details, and stores nothing', async (_, url) => {
    const response = await create({ url, events: ['*'] });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: 'unsafe_url', details: { reason: 'forbidden_address' } });
    expect(await list()).toEqual([]);
  });

  it('re-validates the URL on patch: 422 and the endpoint keeps its URL', async () => {
    const created = (await create({ url: 'https://hooks.example.com/in', events: ['*'] })).json();
    const patch = (payload: object) =>
      subject.app.inject({ method: 'PATCH', url: `/v1/webhook-endpoints/${created.id}`, headers: tenant.auth, payload });
    const refused = await patch({ url: 'http://169.254.169.254/', events: ['message.sent'] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details.reason).toBe('forbidden_address');
    const read = await subject.app.inject({ method: 'GET', url: `/v1/webhook-endpoints/${created.id}`, headers: tenant.auth });
    expect(read.json()).toMatchObject({ url: 'https://hooks.example.com/in', events: ['*'] });
    const accepted = await patch({ url: 'https://other.example.com/hook' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().url).toBe('https://other.example.com/hook');
  });

  it('refuses a URL longer than 2048 characters with 400', async () => {
    const url = `https://hooks.example.com/${'a'.repeat(2049 - 'https://hooks.example.com/'.length)}`;
    expect(url).toHaveLength(2049);
    const response = await create({ url, events: ['*'] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues).toEqual([expect.objectContaining({ in: 'body', path: 'url' })]);
    const fits = await create({ url: url.slice(0, 2048), events: ['*'] });
    expect(fits.statusCode).toBe(201);
  });

  it('refuses something that is not a URL with 400', async () => {
    const response = await create({ url: 'hooks.example.com/in', events: ['*'] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0]).toMatchObject({ in: 'body', path: 'url' });
  });

  it('refuses unknown event names with 400, listing them', async () => {
    const response = await create({ url: 'https://hooks.example.com/in', events: ['message.received', 'message.recieved', 'nope'] });
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('invalid_input');
    expect(error.details).toMatchObject({ field: 'events', unknown: ['message.recieved', 'nope'] });
    expect(error.details.allowed).toContain('message.received');
    expect(error.message).toContain('message.recieved');
  });

  it('refuses an empty events list and unknown names on patch too', async () => {
    expect((await create({ url: 'https://hooks.example.com/in', events: [] })).statusCode).toBe(400);
    const created = (await create({ url: 'https://hooks.example.com/in', events: ['*'] })).json();
    const response = await subject.app.inject({
      method: 'PATCH',
      url: `/v1/webhook-endpoints/${created.id}`,
      headers: tenant.auth,
      payload: { events: ['message.typo'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.unknown).toEqual(['message.typo']);
  });

  it('refuses unknown body fields and an empty patch with 400', async () => {
    expect((await create({ url: 'https://hooks.example.com/in', events: ['*'], secret: 'x' })).statusCode).toBe(400);
    const created = (await create({ url: 'https://hooks.example.com/in', events: ['*'] })).json();
    const empty = await subject.app.inject({
      method: 'PATCH',
      url: `/v1/webhook-endpoints/${created.id}`,
      headers: tenant.auth,
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
  });
});
