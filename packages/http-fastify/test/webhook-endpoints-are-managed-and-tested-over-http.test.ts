import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import type { Tenant, TestApp } from './support/build-test-app.js';
import { buildTestAppWithTenant } from './support/build-test-app-with-tenant.js';

describe('webhook endpoints over HTTP', () => {
  let subject: TestApp<{ clock: FakeClock; webhooks: true }>;
  let tenant: Tenant;
  beforeEach(async () => {
    ({ subject, tenant } = await buildTestAppWithTenant({ clock: createFakeClock(), webhooks: true }));
  });
  afterEach(async () => subject.app.close());

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    subject.app.inject({ method, url, headers: tenant.auth, ...(payload === undefined ? {} : { payload }) });
  const create = async (path: string, extra: object = {}) =>
    (await inject('POST', '/v1/webhook-endpoints', { url: `https://hooks.example.com/${path}`, events: ['*'], ...extra })).json();

  it('lists endpoints newest first with cursor pagination', async () => {
    expect((await inject('GET', '/v1/webhook-endpoints')).json()).toEqual({ data: [], next_cursor: null });
    for (const path of ['a', 'b', 'c']) {
      await create(path);
      subject.clock.advance(1_000);
    }
    const first = (await inject('GET', '/v1/webhook-endpoints?limit=2')).json();
    expect(first.data.map((e: { url: string }) => e.url.slice(-1))).toEqual(['c', 'b']);
    const second = (await inject('GET', `/v1/webhook-endpoints?limit=2&cursor=${first.next_cursor}`)).json();
    expect(second.data.map((e: { url: string }) => e.url.slice(-1))).toEqual(['a']);
    expect(second.next_cursor).toBeNull();
    expect((await inject('GET', '/v1/webhook-endpoints?limit=101')).statusCode).toBe(400);
  });

  it('patches events, description and enabled, leaving absent fields alone', async () => {
    const created = await create('p', { description: 'first' });
    subject.clock.advance(5_000);
    const patched = (await inject('PATCH', `/v1/webhook-endpoints/${created.id}`, { events: ['message.sent', 'message.read'] })).json();
    expect(patched).toMatchObject({ events: ['message.sent', 'message.read'], description: 'first', url: created.url });
    expect(patched.updated_at).not.toBe(created.updated_at);
    const cleared = (await inject('PATCH', `/v1/webhook-endpoints/${created.id}`, { description: null })).json();
    expect(cleared.description).toBeNull();
    const disabled = (await inject('PATCH', `/v1/webhook-endpoints/${created.id}`, { enabled: false })).json();
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    const enabled = (await inject('PATCH', `/v1/webhook-endpoints/${created.id}`, { enabled: true })).json();
    expect(enabled).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it('deletes an endpoint (200, as it was), then answers 404', async () => {
    const created = await create('d');
    const deleted = await inject('DELETE', `/v1/webhook-endpoints/${created.id}`);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().id).toBe(created.id);
    expect((await inject('GET', `/v1/webhook-endpoints/${created.id}`)).statusCode).toBe(404);
    expect((await inject('DELETE', `/v1/webhook-endpoints/${created.id}`)).statusCode).toBe(404);
  });

  it('sends a test event: 202 with event and delivery ids, a webhook.test delivery that the worker sends', async () => {
    const created = await create('t', { events: ['message.sent'] });
    const response = await inject('POST', `/v1/webhook-endpoints/${created.id}/test`);
    expect(response.statusCode).toBe(202);
    const { event_id, delivery_id } = response.json();
    expect(event_id).toMatch(/^evt_/);
    expect(delivery_id).toMatch(/^dlv_/);

    const delivery = (await inject('GET', `/v1/webhook-deliveries/${delivery_id}`)).json();
    expect(delivery).toMatchObject({ endpoint_id: created.id, event: 'webhook.test', event_id, status: 'pending' });
    expect(JSON.parse(delivery.raw_payload)).toMatchObject({ event: 'webhook.test', event_id, data: { endpoint_id: created.id } });

    expect(await subject.deliverQueued()).toBe(1);
    expect(subject.receiver.requests).toHaveLength(1);
    expect(subject.receiver.requests[0]!.url).toBe(created.url);
    expect(subject.receiver.requests[0]!.body).toBe(delivery.raw_payload);
    const sent = (await inject('GET', `/v1/webhook-deliveries/${delivery_id}`)).json();
    expect(sent).toMatchObject({ status: 'success', attempt_count: 1, last_response_status: 200 });
  });

  it('refuses to test a disabled endpoint with 409 conflict', async () => {
    const created = await create('off', { enabled: false });
    const response = await inject('POST', `/v1/webhook-endpoints/${created.id}/test`);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('conflict');
  });

  it('records endpoint changes in the audit trail without secrets', async () => {
    const created = await create('audit');
    await inject('POST', `/v1/webhook-endpoints/${created.id}/rotate-secret`);
    await inject('DELETE', `/v1/webhook-endpoints/${created.id}`);
    const audit = (await inject('GET', '/v1/audit-events')).json();
    const actions = audit.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['webhook_endpoint.created', 'webhook_endpoint.secret_rotated', 'webhook_endpoint.deleted']),
    );
    expect(JSON.stringify(audit)).not.toContain(created.signing_secret.slice(6));
  });
});
