/*
 * The group routes over the real session manager and core's in-memory simulated phone (the sandbox rules: a
 * number ending in 3 refuses to be added, 4 is invited, 0 is not on WhatsApp), with responses validated against
 * their schemas: every answer is in its documented shape, every failure in the error envelope.
 */
import { createGroupUseCases, createMessageUseCases, type GroupUseCases } from '@whatisup/core';
import { until } from '@whatisup/test-infra';
import { afterEach, describe, expect, it } from 'vitest';
import { groupRoutes } from '../src/index.js';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

let subject: TestApp<{ sessions: true }>;
afterEach(async () => subject.close());

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

async function connectedSandbox() {
  // The routes are declared before the app (and its session manager) exist: they reach the use cases late.
  let groups: GroupUseCases | undefined;
  const late = new Proxy({} as GroupUseCases, {
    get: (_target, name: keyof GroupUseCases) => (...args: unknown[]) => (groups![name] as (...a: unknown[]) => unknown)(...args),
  });
  subject = await buildTestApp({ sessions: true, routes: groupRoutes(late) });
  const unused = async (): Promise<never> => {
    throw new Error('not used by these routes');
  };
  const { stageOutboxAction } = createMessageUseCases({ uow: subject.uow, clock: subject.clock, outboxQueue: { enqueue: async () => undefined }, outbound: { checkUrl: unused } });
  groups = createGroupUseCases({ uow: subject.uow, clock: subject.clock, lookups: subject.sessions, stageOutboxAction, outbound: { download: unused } });
  const tenant = await subject.newCustomer();
  const { auth } = tenant;
  const instance = await subject.newInstance(auth, { kind: 'sandbox' });
  await subject.post(`/v1/instances/${instance}/connect`, auth);
  await until(async () => (await subject.post(`/v1/instances/${instance}/sandbox/scan`, auth)).statusCode === 204);
  await until(async () => (await subject.app.inject({ method: 'GET', url: `/v1/instances/${instance}`, headers: auth })).json().status === 'connected');
  return { tenant, auth, instance };
}

const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, headers: Record<string, string>, payload?: object) =>
  subject.app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });

describe('groups over HTTP', () => {
  it('creates a group (201, a result per participant), reads, lists, changes and pages it', async () => {
    const { auth, instance } = await connectedSandbox();
    const base = `/v1/instances/${instance}/groups`;
    const created = await call('POST', base, auth, { subject: 'Crew', participants: ['4915112345671', '4915112345673', '4915112345674', '4915112345670'] });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body.participants.map((p: { status: string }) => p.status)).toEqual(['added', 'refused', 'invited', 'refused']);
    const id = body.group_id as string;

    const group = await call('GET', `${base}/${id.replace('@g.us', '')}`, auth);
    expect(group.statusCode).toBe(200);
    expect(group.json()).toMatchObject({ group_id: id, subject: 'Crew', size: 2, settings: { announce: false, ephemeral_seconds: 0 } });
    expect((await call('GET', base, auth)).json()).toMatchObject({ data: [{ group_id: id }], next_cursor: null });

    const patched = await call('PATCH', `${base}/${id}`, auth, { subject: 'Crew 2', ephemeral_seconds: 604800 });
    expect([patched.statusCode, patched.json().status]).toEqual([202, 'queued']);
    await subject.drainOutbox(instance);
    expect((await call('GET', `${base}/${id}`, auth)).json()).toMatchObject({ subject: 'Crew 2', settings: { ephemeral_seconds: 604800 } });

    const participants = await call('POST', `${base}/${id}/participants`, auth, { action: 'promote', participants: ['4915112345671', '4915112345679'] });
    expect(participants.json()).toEqual({
      group_id: id,
      participants: [
        { jid: '4915112345671@s.whatsapp.net', status: 'promoted', reason: null, code: null },
        { jid: '4915112345679@s.whatsapp.net', status: 'refused', reason: 'not_a_participant', code: 404 },
      ],
    });
    const invite = await call('GET', `${base}/${id}/invite`, auth);
    expect(invite.json().invite_url).toBe(`https://chat.whatsapp.com/${invite.json().invite_code}`);
    expect((await call('POST', `${base}/${id}/invite/rotate`, auth)).json().invite_code).not.toBe(invite.json().invite_code);
    expect((await call('PUT', `${base}/${id}/picture`, auth, { media_base64: PNG })).statusCode).toBe(204);
    expect((await call('POST', `${base}/join`, auth, { invite: 'SANDBOXteam' })).statusCode).toBe(200);
    expect((await call('GET', `${base}/${id}/join-requests`, auth)).json()).toEqual({ data: [] });
    expect((await call('POST', `${base}/${id}/leave`, auth)).statusCode).toBe(202);
  });

  it('answers bad input, unknown groups, pictures that are no image and a down instance in the envelope', async () => {
    const { auth, instance, tenant } = await connectedSandbox();
    const base = `/v1/instances/${instance}/groups`;
    const id = (await call('POST', base, auth, { subject: 'Crew', participants: ['4915112345671'] })).json().group_id as string;
    const answers = [
      await call('POST', base, auth, { subject: 'x', participants: [] }),
      await call('POST', base, auth, { subject: 'x', participants: Array.from({ length: 1025 }, (_, i) => `4915100${String(i).padStart(6, '0')}`) }),
      await call('POST', base, auth, { subject: 'x', participants: ['4915112345671'], extra: true }),
      await call('GET', `${base}/not-a-group`, auth),
      await call('GET', `${base}/120363000000000000@g.us`, auth),
      await call('PUT', `${base}/${id}/picture`, auth, { media_base64: Buffer.from('GIF89a').toString('base64') }),
      await call('PUT', `${base}/${id}/picture`, auth, {}),
      await call('PATCH', `${base}/${id}`, auth, {}),
      await call('POST', `${base}/join`, auth, { invite: 'NOSUCHCODE1' }),
      await call('GET', `${base}?cursor=bogus`, auth),
    ];
    expect(answers.map((a) => [a.statusCode, a.json().error.code])).toEqual([
      [400, 'invalid_input'],
      [400, 'invalid_input'],
      [400, 'invalid_input'],
      [400, 'invalid_input'],
      [404, 'not_found'],
      [422, 'invalid_media'],
      [400, 'invalid_input'],
      [400, 'invalid_input'],
      [404, 'not_found'],
      [400, 'invalid_input'],
    ]);
    const idle = await subject.newInstance(auth, { kind: 'sandbox' });
    expect((await call('GET', `/v1/instances/${idle}/groups`, auth)).json().error.code).toBe('not_connected');
    const bound = await subject.newKey(tenant.customerId, idle);
    expect((await call('GET', base, bound.auth)).statusCode).toBe(403);
  });
});
