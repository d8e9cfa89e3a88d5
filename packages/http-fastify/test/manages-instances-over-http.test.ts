import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('instances over HTTP', () => {
  let subject: TestApp;
  afterEach(async () => subject.app.close());

  const create = (auth: object, payload: object) =>
    subject.app.inject({ method: 'POST', url: '/v1/instances', headers: auth as Record<string, string>, payload });

  it('creates an instance (201) with snake_case fields and ISO times', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const response = await create(auth, { name: '  sales  ', kind: 'sandbox', metadata: { team: 'emea' } });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      name: 'sales',
      kind: 'sandbox',
      status: 'pending',
      status_reason: null,
      phone_number: null,
      last_seen_at: null,
      metadata: { team: 'emea' },
      deleted_at: null,
    });
    expect(body.id).toMatch(/^inst_/);
    expect(new Date(body.created_at).toISOString()).toBe(body.created_at);
  });

  it('defaults kind to whatsapp and metadata to {}', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const body = (await create(auth, { name: 'plain' })).json();
    expect(body.kind).toBe('whatsapp');
    expect(body.metadata).toEqual({});
  });

  it('answers a duplicate name with 409 conflict', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    await create(auth, { name: 'dup' });
    const response = await create(auth, { name: 'dup' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('conflict');
  });

  it('lists instances newest first with cursor pagination', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const empty = await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: auth });
    expect(empty.json()).toEqual({ data: [], next_cursor: null });
    for (const name of ['a', 'b', 'c']) await create(auth, { name });
    const first = (await subject.app.inject({ method: 'GET', url: '/v1/instances?limit=2', headers: auth })).json();
    expect(first.data.map((i: { name: string }) => i.name)).toEqual(['c', 'b']);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (
      await subject.app.inject({ method: 'GET', url: `/v1/instances?limit=2&cursor=${first.next_cursor}`, headers: auth })
    ).json();
    expect(second).toEqual({ data: [expect.objectContaining({ name: 'a' })], next_cursor: null });
  });

  it('gets an instance by id', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const created = (await create(auth, { name: 'one' })).json();
    const response = await subject.app.inject({ method: 'GET', url: `/v1/instances/${created.id}`, headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(created);
  });

  it('deletes an instance: 200 with deleted_at set, then 404, and the name is free again', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const created = (await create(auth, { name: 'gone' })).json();
    const deleted = await subject.app.inject({ method: 'DELETE', url: `/v1/instances/${created.id}`, headers: auth });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ id: created.id, deleted_at: expect.any(String) });
    const again = await subject.app.inject({ method: 'DELETE', url: `/v1/instances/${created.id}`, headers: auth });
    expect(again.statusCode).toBe(404);
    const read = await subject.app.inject({ method: 'GET', url: `/v1/instances/${created.id}`, headers: auth });
    expect(read.statusCode).toBe(404);
    expect((await create(auth, { name: 'gone' })).statusCode).toBe(201);
  });

  it("answers another customer's instance with 404 on read and delete, never 403", async () => {
    subject = await buildTestApp();
    const alice = await subject.newCustomer('Alice');
    const bob = await subject.newCustomer('Bob');
    const created = (await create(alice.auth, { name: 'private' })).json();
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await subject.app.inject({ method, url: `/v1/instances/${created.id}`, headers: bob.auth });
      expect(response.statusCode, method).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    const list = await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: bob.auth });
    expect(list.json().data).toEqual([]);
    const still = await subject.app.inject({ method: 'GET', url: `/v1/instances/${created.id}`, headers: alice.auth });
    expect(still.statusCode).toBe(200);
  });

  it('answers an unknown instance id with 404', async () => {
    subject = await buildTestApp();
    const { auth } = await subject.newCustomer();
    const response = await subject.app.inject({ method: 'GET', url: '/v1/instances/inst_nope', headers: auth });
    expect(response.statusCode).toBe(404);
  });
});
