import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('a key bound to one instance', () => {
  let subject: TestApp;
  let owner: { authorization: string };
  let bound: { authorization: string };
  let mine: { id: string };
  let other: { id: string };

  beforeEach(async () => {
    subject = await buildTestApp();
    const customer = await subject.newCustomer();
    owner = customer.auth;
    const create = (name: string) =>
      subject.app.inject({ method: 'POST', url: '/v1/instances', headers: owner, payload: { name } });
    mine = (await create('mine')).json();
    other = (await create('other')).json();
    bound = (await subject.newKey(customer.customerId, mine.id)).auth;
  });
  afterEach(async () => subject.app.close());

  it('lists only its instance', async () => {
    const response = await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: bound });
    expect(response.json().data.map((i: { id: string }) => i.id)).toEqual([mine.id]);
  });

  it('reads its instance and gets 403 forbidden for the same customer’s other instance', async () => {
    expect((await subject.app.inject({ method: 'GET', url: `/v1/instances/${mine.id}`, headers: bound })).statusCode).toBe(200);
    const response = await subject.app.inject({ method: 'GET', url: `/v1/instances/${other.id}`, headers: bound });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('forbidden');
  });

  it('cannot create instances (403)', async () => {
    const response = await subject.app.inject({ method: 'POST', url: '/v1/instances', headers: bound, payload: { name: 'x' } });
    expect(response.statusCode).toBe(403);
  });

  it('cannot create an unbound key or a key bound elsewhere (403), but can create one bound to its instance', async () => {
    const unbound = await subject.app.inject({ method: 'POST', url: '/v1/api-keys', headers: bound, payload: {} });
    expect(unbound.statusCode).toBe(403);
    const elsewhere = await subject.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bound,
      payload: { instance_id: other.id },
    });
    expect(elsewhere.statusCode).toBe(403);
    const same = await subject.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bound,
      payload: { instance_id: mine.id, name: 'ci' },
    });
    expect(same.statusCode).toBe(201);
    expect(same.json()).toMatchObject({ instance_id: mine.id, name: 'ci' });
  });

  it('stops working once its instance is deleted', async () => {
    await subject.app.inject({ method: 'DELETE', url: `/v1/instances/${mine.id}`, headers: owner });
    const response = await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: bound });
    expect(response.statusCode).toBe(401);
  });
});
