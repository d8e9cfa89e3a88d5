import { describe, expect, it } from 'vitest';
import { useConnectedMessageApp } from './support/use-connected-message-app.js';

const request = { to: '4915112345678', body: { type: 'text', text: 'Your order shipped' } };

describe('idempotent sending', () => {
  const given = useConnectedMessageApp();

  const send = (payload: object, key?: string, url = `/v1/instances/${given.instanceId}/messages`) =>
    given.subject.app.inject({
      method: 'POST',
      url,
      headers: { ...given.tenant.auth, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload,
    });
  const messageCount = async () =>
    (await given.subject.app.inject({ method: 'GET', url: '/v1/messages', headers: given.tenant.auth })).json().data.length;

  it('answers a repeat with the same Idempotency-Key with the first response, 202, and stages nothing new', async () => {
    const first = await send(request, 'order-42-shipped');
    const again = await send(request, 'order-42-shipped');
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await messageCount()).toBe(1);
    expect(given.subject.woken).toHaveLength(1);
  });

  it('answers a repeat with the first response even after the message was sent and the instance went down', async () => {
    const first = await send(request, 'k');
    await given.subject.advance(given.instanceId, ['delivered']);
    await given.subject.uow.repos.instances.updateStatus(given.tenant.customerId, given.instanceId, ['connected'], {
      status: 'disconnected',
      statusReason: 'logout',
      at: given.subject.clock.now(),
    });
    const again = await send(request, 'k');
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    const now = await given.subject.app.inject({ method: 'GET', url: `/v1/messages/${first.json().message_id}`, headers: given.tenant.auth });
    expect(now.json().status).toBe('delivered');
  });

  it('treats a repeated client_ref like an Idempotency-Key, on either send route', async () => {
    const first = await send({ ...request, client_ref: 'order-42' });
    const again = await send({ ...request, instance_id: given.instanceId, client_ref: 'order-42' }, undefined, '/v1/messages');
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ message_id: first.json().message_id, client_ref: 'order-42', status: 'queued' });
    expect(await messageCount()).toBe(1);
  });

  it('answers the same key or client_ref with a different body with 409 idempotency_conflict', async () => {
    const first = await send({ ...request, client_ref: 'order-42' }, 'k');
    const other = { ...request, body: { type: 'text', text: 'Something else' } };
    for (const response of [await send(other, 'k'), await send({ ...other, client_ref: 'order-42' })]) {
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({ code: 'idempotency_conflict', details: { message_id: first.json().message_id } });
    }
    expect(await messageCount()).toBe(1);
  });

  it('creates one message for 20 concurrent identical requests', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => send(request, 'burst')));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(202));
    expect(new Set(responses.map((r) => r.json().message_id)).size).toBe(1);
    expect(await messageCount()).toBe(1);
  });

  it('scopes an Idempotency-Key to its customer', async () => {
    const stranger = await given.subject.newCustomer('Stranger');
    const theirs = await given.subject.newInstance(stranger.auth, { status: 'connected' });
    const mine = await send(request, 'shared-key');
    const other = await given.subject.app.inject({
      method: 'POST',
      url: `/v1/instances/${theirs}/messages`,
      headers: { ...stranger.auth, 'idempotency-key': 'shared-key' },
      payload: request,
    });
    expect(other.statusCode).toBe(202);
    expect(other.json().message_id).not.toBe(mine.json().message_id);
  });
});
