import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import type { Tenant, TestApp } from './support/build-test-app.js';
import { buildTestAppWithTenant } from './support/build-test-app-with-tenant.js';

describe('webhook endpoint signing secrets', () => {
  let subject: TestApp<{ clock: FakeClock; webhooks: true }>;
  let tenant: Tenant;
  beforeEach(async () => {
    ({ subject, tenant } = await buildTestAppWithTenant({ clock: createFakeClock(), webhooks: true }));
  });
  afterEach(async () => subject.app.close());

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    subject.app.inject({ method, url, headers: tenant.auth, ...(payload === undefined ? {} : { payload }) });

  it('returns a whsec_ secret on create (201) with the endpoint in snake_case', async () => {
    const response = await inject('POST', '/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/in',
      events: ['message.received', 'message.received', 'instance.connected'],
      description: 'CRM',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      url: 'https://hooks.example.com/in',
      events: ['message.received', 'instance.connected'],
      instance_id: null,
      description: 'CRM',
      enabled: true,
      disabled_reason: null,
      previous_secret_expires_at: null,
    });
    expect(body.id).toMatch(/^wh_/);
    expect(body.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(new Date(body.created_at).toISOString()).toBe(body.created_at);
  });

  it('never shows the secret again: not in get, list, patch, delete, audit or logs', async () => {
    const created = (await inject('POST', '/v1/webhook-endpoints', { url: 'https://hooks.example.com/a', events: ['*'] })).json();
    const secret: string = created.signing_secret;
    const secretBody = secret.slice('whsec_'.length);
    const responses = [
      await inject('GET', `/v1/webhook-endpoints/${created.id}`),
      await inject('GET', '/v1/webhook-endpoints'),
      await inject('PATCH', `/v1/webhook-endpoints/${created.id}`, { description: 'renamed' }),
      await inject('GET', '/v1/audit-events'),
      await inject('DELETE', `/v1/webhook-endpoints/${created.id}`),
    ];
    for (const response of responses) {
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).not.toContain(secretBody);
      expect(response.body).not.toMatch(/signing_secret|"secret"|ciphertext|whsec_/);
    }
    expect(responses[0]!.json()).toEqual({ ...created, signing_secret: undefined });
    expect(subject.logText()).not.toContain(secretBody);
  });

  it('accepts a caller-supplied secret and stores it sealed, never as plaintext', async () => {
    const own = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const response = await inject('POST', '/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/own',
      events: ['*'],
      signing_secret: own,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().signing_secret).toBe(own);
    const stored = [...(subject.uow.state.webhookEndpoints?.values() ?? [])];
    expect(stored).toEqual([expect.objectContaining({ secret: expect.objectContaining({ ciphertext: expect.stringMatching(/^v2\./) }) })]);
    expect(JSON.stringify(stored)).not.toContain(own.slice(6));
  });

  it('refuses a supplied secret that is too short with 400, without echoing it', async () => {
    const weak = `whsec_${Buffer.alloc(8, 1).toString('base64')}`;
    const response = await inject('POST', '/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/weak',
      events: ['*'],
      signing_secret: weak,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_input', details: { field: 'signing_secret' } });
    expect(response.body).not.toContain(weak.slice(6));
  });

  it('rotates: a new secret once (200), the old one signing for 24 hours', async () => {
    const created = (await inject('POST', '/v1/webhook-endpoints', { url: 'https://hooks.example.com/r', events: ['*'] })).json();
    subject.clock.advance(60_000);
    const response = await inject('POST', `/v1/webhook-endpoints/${created.id}/rotate-secret`);
    expect(response.statusCode).toBe(200);
    const rotated = response.json();
    expect(rotated.signing_secret).toMatch(/^whsec_/);
    expect(rotated.signing_secret).not.toBe(created.signing_secret);
    const expected = new Date(subject.clock.now().getTime() + 24 * 3600 * 1000).toISOString();
    expect(rotated.previous_secret_expires_at).toBe(expected);
    const read = (await inject('GET', `/v1/webhook-endpoints/${created.id}`)).json();
    expect(read.previous_secret_expires_at).toBe(expected);
    expect(read.signing_secret).toBeUndefined();
  });

  it('rotates to a caller-supplied secret given in the body', async () => {
    const created = (await inject('POST', '/v1/webhook-endpoints', { url: 'https://hooks.example.com/r2', events: ['*'] })).json();
    const own = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;
    const response = await inject('POST', `/v1/webhook-endpoints/${created.id}/rotate-secret`, { signing_secret: own });
    expect(response.statusCode).toBe(200);
    expect(response.json().signing_secret).toBe(own);
  });
});
