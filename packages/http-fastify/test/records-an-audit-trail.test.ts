import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('audit events over HTTP', () => {
  let subject: TestApp;
  afterEach(async () => subject.app.close());

  it('lists every state change with the acting key, newest first', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const keyId = (await subject.app.inject({ method: 'GET', url: '/v1/api-keys', headers: auth })).json().data[0].id;
    const instance = (
      await subject.app.inject({ method: 'POST', url: '/v1/instances', headers: auth, payload: { name: 'audited' } })
    ).json();
    await subject.app.inject({ method: 'DELETE', url: `/v1/instances/${instance.id}`, headers: auth });
    const response = await subject.app.inject({ method: 'GET', url: '/v1/audit-events?limit=2', headers: auth });
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.data.map((e: { action: string }) => e.action)).toEqual(['instance.deleted', 'instance.created']);
    expect(page.data[0]).toMatchObject({
      actor: { type: 'api_key', key_id: keyId },
      target_type: 'instance',
      target_id: instance.id,
      instance_id: instance.id,
    });
    expect(page.next_cursor).toEqual(expect.any(String));
  });

  it('filters by instance_id', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const a = (await subject.app.inject({ method: 'POST', url: '/v1/instances', headers: auth, payload: { name: 'a' } })).json();
    await subject.app.inject({ method: 'POST', url: '/v1/instances', headers: auth, payload: { name: 'b' } });
    const page = (
      await subject.app.inject({ method: 'GET', url: `/v1/audit-events?instance_id=${a.id}`, headers: auth })
    ).json();
    expect(page.data.map((e: { target_id: string }) => e.target_id)).toEqual([a.id]);
  });
});
