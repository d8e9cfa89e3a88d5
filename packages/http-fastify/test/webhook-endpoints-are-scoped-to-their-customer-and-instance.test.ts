import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import { buildTestApp, type Tenant, type TestApp } from './support/build-test-app.js';

describe('webhook endpoint scoping', () => {
  let subject: TestApp<{ clock: FakeClock; webhooks: true }>;
  let owner: Tenant;
  let bound: Tenant;
  let mine: string;
  let other: string;
  beforeEach(async () => {
    subject = await buildTestApp({ clock: createFakeClock(), webhooks: true });
    owner = await subject.newCustomer();
    mine = await subject.newInstance(owner.auth, { name: 'mine' });
    other = await subject.newInstance(owner.auth, { name: 'other' });
    bound = await subject.newKey(owner.customerId, mine);
  });
  afterEach(async () => subject.app.close());

  const create = (who: Tenant, payload: object) =>
    subject.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: who.auth, payload });
  const endpoint = async (who: Tenant, instanceId: string | null) =>
    (await create(who, { url: 'https://hooks.example.com/in', events: ['*'], instance_id: instanceId })).json<{ id: string }>().id;

  it("answers another customer's endpoint with 404 on every route, never 403", async () => {
    const id = await endpoint(owner, null);
    const stranger = await subject.newCustomer('Stranger');
    const calls = [
      { method: 'GET', url: `/v1/webhook-endpoints/${id}` },
      { method: 'PATCH', url: `/v1/webhook-endpoints/${id}`, payload: { description: 'mine now' } },
      { method: 'DELETE', url: `/v1/webhook-endpoints/${id}` },
      { method: 'POST', url: `/v1/webhook-endpoints/${id}/rotate-secret` },
      { method: 'POST', url: `/v1/webhook-endpoints/${id}/test` },
    ] as const;
    for (const call of calls) {
      const response = await subject.app.inject({ ...call, headers: stranger.auth });
      expect(response.statusCode, `${call.method} ${call.url}`).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    const list = await subject.app.inject({ method: 'GET', url: '/v1/webhook-endpoints', headers: stranger.auth });
    expect(list.json().data).toEqual([]);
    const still = await subject.app.inject({ method: 'GET', url: `/v1/webhook-endpoints/${id}`, headers: owner.auth });
    expect(still.json().description).toBeNull();
  });

  it("refuses binding an endpoint to another customer's instance with 404", async () => {
    const stranger = await subject.newCustomer('Stranger');
    const response = await create(stranger, { url: 'https://hooks.example.com/in', events: ['*'], instance_id: mine });
    expect(response.statusCode).toBe(404);
  });

  it('lets an instance-bound key create and manage endpoints of its instance only', async () => {
    const created = await create(bound, { url: 'https://hooks.example.com/in', events: ['*'], instance_id: mine });
    expect(created.statusCode).toBe(201);
    expect(created.json().instance_id).toBe(mine);
    const id = created.json().id;
    const patched = await subject.app.inject({
      method: 'PATCH',
      url: `/v1/webhook-endpoints/${id}`,
      headers: bound.auth,
      payload: { enabled: false },
    });
    expect(patched.json()).toMatchObject({ enabled: false, disabled_reason: 'manual' });

    expect((await create(bound, { url: 'https://hooks.example.com/in', events: ['*'] })).statusCode).toBe(403);
    expect((await create(bound, { url: 'https://hooks.example.com/in', events: ['*'], instance_id: other })).statusCode).toBe(403);
  });

  it("hides unbound and other instances' endpoints from an instance-bound key (403 by id, absent from lists)", async () => {
    const unbound = await endpoint(owner, null);
    const elsewhere = await endpoint(owner, other);
    const own = await endpoint(owner, mine);
    const list = await subject.app.inject({ method: 'GET', url: '/v1/webhook-endpoints', headers: bound.auth });
    expect(list.json().data.map((e: { id: string }) => e.id)).toEqual([own]);
    for (const id of [unbound, elsewhere]) {
      for (const method of ['GET', 'DELETE'] as const) {
        const response = await subject.app.inject({ method, url: `/v1/webhook-endpoints/${id}`, headers: bound.auth });
        expect(response.statusCode, `${method} ${id}`).toBe(403);
        expect(response.json().error.code).toBe('forbidden');
      }
    }
    const owners = await subject.app.inject({ method: 'GET', url: '/v1/webhook-endpoints', headers: owner.auth });
    expect(owners.json().data).toHaveLength(3);
  });
});
