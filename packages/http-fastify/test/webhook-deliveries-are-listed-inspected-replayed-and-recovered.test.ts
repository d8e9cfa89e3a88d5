import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import { buildTestApp, type Tenant, type TestApp } from './support/build-test-app.js';

interface DeliveryJson {
  id: string;
  endpoint_id: string;
  instance_id: string | null;
  event: string;
  status: string;
  attempt_count: number;
}

describe('webhook deliveries over HTTP', () => {
  let subject: TestApp<{ clock: FakeClock; webhooks: true }>;
  let tenant: Tenant;
  let instanceA: string;
  let instanceB: string;
  let everything: string;
  let sentOnA: string;

  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, who: Tenant = tenant) =>
    subject.app.inject({ method, url, headers: who.auth, ...(payload === undefined ? {} : { payload }) });
  const list = async (query = '', who: Tenant = tenant): Promise<DeliveryJson[]> => {
    const response = await inject('GET', `/v1/webhook-deliveries${query}`, undefined, who);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().data;
  };

  /*
   * Four deliveries: message.received on A (→ everything), message.sent on A (→ everything and sentOnA),
   * instance.connected on B (→ everything). The first send succeeds; every other fails twice, the last
   * attempt of a two-step schedule, so three end `failed` with two attempts each.
   */
  beforeEach(async () => {
    subject = await buildTestApp({ clock: createFakeClock(), webhooks: true });
    tenant = await subject.newCustomer();
    instanceA = await subject.newInstance(tenant.auth, { name: 'a' });
    instanceB = await subject.newInstance(tenant.auth, { name: 'b' });
    const endpoint = async (payload: object) =>
      (await inject('POST', '/v1/webhook-endpoints', { url: 'https://hooks.example.com/in', ...payload })).json().id as string;
    everything = await endpoint({ events: ['*'] });
    sentOnA = await endpoint({ events: ['message.sent'], instance_id: instanceA });
    await subject.recordEvent(tenant.customerId, 'message.received', instanceA);
    subject.clock.advance(1_000);
    await subject.recordEvent(tenant.customerId, 'message.sent', instanceA);
    subject.clock.advance(1_000);
    await subject.recordEvent(tenant.customerId, 'instance.connected', instanceB);
    subject.receiver.answer({ status: 200, body: 'ok' }, { status: 500, body: 'oops' });
    expect(await subject.deliverQueued()).toBe(4);
    subject.clock.advance(10_000);
    expect(await subject.deliverQueued()).toBe(3);
  });
  afterEach(async () => subject.app.close());

  it('lists every delivery newest first, without payloads', async () => {
    const all = await list();
    expect(all).toHaveLength(4);
    expect(all.map((d) => d.event)).toEqual(['instance.connected', 'message.sent', 'message.sent', 'message.received']);
    expect(all[0]).not.toHaveProperty('payload');
    expect(all[0]).not.toHaveProperty('raw_payload');
    const page = (await inject('GET', '/v1/webhook-deliveries?limit=3')).json();
    expect(page.data).toHaveLength(3);
    const rest = await list(`?limit=3&cursor=${page.next_cursor}`);
    expect(rest.map((d) => d.event)).toEqual(['message.received']);
  });

  it('filters by status, event, instance and endpoint, combined', async () => {
    expect((await list('?status=success')).map((d) => d.event)).toEqual(['message.received']);
    expect(await list('?status=failed')).toHaveLength(3);
    expect((await list('?event=message.sent')).map((d) => d.endpoint_id).sort()).toEqual([everything, sentOnA].sort());
    expect((await list(`?instance_id=${instanceB}`)).map((d) => d.event)).toEqual(['instance.connected']);
    expect((await list(`?endpoint_id=${sentOnA}`)).map((d) => d.event)).toEqual(['message.sent']);
    expect(await list(`?status=failed&endpoint_id=${everything}&instance_id=${instanceA}`)).toEqual([
      expect.objectContaining({ event: 'message.sent', endpoint_id: everything }),
    ]);
  });

  it('refuses an unknown status or event filter with 400', async () => {
    for (const query of ['?status=lost', '?event=message.recieved', '?limit=0']) {
      const response = await inject('GET', `/v1/webhook-deliveries${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('invalid_input');
    }
  });

  it('shows one delivery with its payload once, as the exact text sent, and every attempt', async () => {
    const [failed] = await list(`?instance_id=${instanceB}`);
    const response = await inject('GET', `/v1/webhook-deliveries/${failed!.id}`);
    expect(response.statusCode).toBe(200);
    const detail = response.json();
    expect(detail).toMatchObject({ status: 'failed', attempt_count: 2, last_response_status: 500, next_attempt_at: null });
    expect(detail).not.toHaveProperty('payload');
    expect(JSON.parse(detail.raw_payload)).toMatchObject({ event: 'instance.connected', instance_id: instanceB, event_id: detail.event_id });
    expect(subject.receiver.requests.at(-1)!.body).toBe(detail.raw_payload);
    expect(detail.attempts).toEqual([
      expect.objectContaining({ attempt_number: 1, response_status: 500, error: null, response_excerpt: 'oops' }),
      expect.objectContaining({ attempt_number: 2, response_status: 500, error: null, response_excerpt: 'oops' }),
    ]);
    const [first, second] = detail.attempts;
    expect(first.duration_ms).toEqual(expect.any(Number));
    expect(new Date(second.started_at).getTime() - new Date(first.started_at).getTime()).toBe(10_000);
  });

  it('replays a failed delivery: 202, a new series from the same bytes, earlier attempts kept', async () => {
    const [failed] = await list(`?instance_id=${instanceB}`);
    const before = (await inject('GET', `/v1/webhook-deliveries/${failed!.id}`)).json();
    const response = await inject('POST', `/v1/webhook-deliveries/${failed!.id}/replay`);
    expect(response.statusCode).toBe(202);
    const queued = { id: failed!.id, status: 'pending', attempt_count: 0, last_response_status: null, last_error: null, delivered_at: null };
    expect(before.last_response_status).toBe(500);
    expect(response.json()).toMatchObject(queued);
    expect((await inject('GET', `/v1/webhook-deliveries/${failed!.id}`)).json()).toMatchObject({ ...queued, attempts: before.attempts });
    subject.receiver.answer({ status: 204 });
    expect(await subject.deliverQueued()).toBe(1);
    const after = (await inject('GET', `/v1/webhook-deliveries/${failed!.id}`)).json();
    expect(after).toMatchObject({ status: 'success', attempt_count: 1, event_id: before.event_id });
    expect(after.attempts.map((a: { attempt_number: number }) => a.attempt_number)).toEqual([1, 2, 1]);
    expect(subject.receiver.requests.at(-1)!.body).toBe(before.raw_payload);
  });

  it('recovers every failed delivery of an endpoint since a time: 202 with the count', async () => {
    const failedBefore = await list(`?status=failed&endpoint_id=${everything}`);
    expect(failedBefore).toHaveLength(2);
    const response = await inject('POST', '/v1/webhook-deliveries/recover', {
      endpoint_id: everything,
      since: '2026-05-01T11:00:00+00:00',
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ count: 2 });
    subject.receiver.answer({ status: 200 });
    expect(await subject.deliverQueued()).toBe(2);
    expect(await list(`?status=failed&endpoint_id=${everything}`)).toEqual([]);
    expect(await list(`?status=failed&endpoint_id=${sentOnA}`)).toHaveLength(1);
  });

  it('recovers nothing created before `since`', async () => {
    const since = new Date(subject.clock.now().getTime() - 1_000).toISOString();
    const response = await inject('POST', '/v1/webhook-deliveries/recover', { endpoint_id: everything, since });
    expect(response.json()).toEqual({ count: 0 });
  });

  it('refuses a since that is not an ISO-8601 time with a zone, or is in the future, with 400', async () => {
    for (const since of ['yesterday', '2026-05-01T11:00:00', '2026-02-30T11:00:00Z', '2026-06-01T00:00:00Z']) {
      const response = await inject('POST', '/v1/webhook-deliveries/recover', { endpoint_id: everything, since });
      expect(response.statusCode, since).toBe(400);
      expect(response.json().error.code).toBe('invalid_input');
    }
  });

  it('refuses to replay or recover for a disabled endpoint with 409', async () => {
    await inject('PATCH', `/v1/webhook-endpoints/${everything}`, { enabled: false });
    const [failed] = await list(`?instance_id=${instanceB}`);
    expect((await inject('POST', `/v1/webhook-deliveries/${failed!.id}/replay`)).statusCode).toBe(409);
    const recover = await inject('POST', '/v1/webhook-deliveries/recover', { endpoint_id: everything, since: '2026-05-01T00:00:00Z' });
    expect(recover.statusCode).toBe(409);
    expect(recover.json().error.code).toBe('conflict');
  });

  it("answers another customer's deliveries and endpoints with 404 and lists none of them", async () => {
    const stranger = await subject.newCustomer('Stranger');
    const [delivery] = await list();
    expect((await inject('GET', `/v1/webhook-deliveries/${delivery!.id}`, undefined, stranger)).statusCode).toBe(404);
    expect((await inject('POST', `/v1/webhook-deliveries/${delivery!.id}/replay`, undefined, stranger)).statusCode).toBe(404);
    const recover = await inject('POST', '/v1/webhook-deliveries/recover', { endpoint_id: everything, since: '2026-05-01T00:00:00Z' }, stranger);
    expect(recover.statusCode).toBe(404);
    expect(await list('', stranger)).toEqual([]);
  });

  it("shows an instance-bound key only its instance's deliveries, 403 for another's", async () => {
    const bound = await subject.newKey(tenant.customerId, instanceB);
    expect((await list('', bound)).map((d) => d.instance_id)).toEqual([instanceB]);
    const other = await inject('GET', `/v1/webhook-deliveries?instance_id=${instanceA}`, undefined, bound);
    expect(other.statusCode).toBe(403);
    const [onA] = await list(`?instance_id=${instanceA}`);
    expect((await inject('GET', `/v1/webhook-deliveries/${onA!.id}`, undefined, bound)).statusCode).toBe(403);
  });
});
