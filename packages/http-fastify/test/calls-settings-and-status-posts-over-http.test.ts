/*
 * Calls, instance settings and status posts over the real session manager and core's in-memory simulated
 * phone: settings are read and changed (400 for a bad patch), a call injected into the sandbox rings until it is
 * declined (200, then 409; 404 for an unknown call), with `reject_calls` it is declined as it rings, and a
 * status post is staged (202) and its view reported as `story.viewed`. The routes appear in the OpenAPI document.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@whatisup/test-infra';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

let subject: TestApp<{ sessions: true }>;
afterEach(async () => subject.close());

async function connectedSandbox() {
  subject = await buildTestApp({ sessions: true });
  const tenant = await subject.newCustomer();
  const { auth } = tenant;
  const instance = await subject.newInstance(auth, { kind: 'sandbox' });
  await subject.post(`/v1/instances/${instance}/connect`, auth);
  await until(async () => (await subject.post(`/v1/instances/${instance}/sandbox/scan`, auth)).statusCode === 204);
  await until(async () => (await subject.app.inject({ method: 'GET', url: `/v1/instances/${instance}`, headers: auth })).json().status === 'connected');
  return { tenant, auth, instance };
}

const events = (name: string) => subject.recorder.envelopes().filter((e) => e.event === name);

describe('calls, settings and status posts over HTTP', () => {
  it('shows and changes the settings, refusing a bad patch with 400', async () => {
    const { auth, instance } = await connectedSandbox();
    const url = `/v1/instances/${instance}/settings`;
    const shown = await subject.app.inject({ method: 'GET', url, headers: auth });
    expect(shown.json()).toEqual({ instance_id: instance, reject_calls: false, call_reply_text: null, always_online: false, send_read_receipts: false, updated_at: null });
    const changed = await subject.app.inject({ method: 'PATCH', url, headers: auth, payload: { send_read_receipts: true } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ send_read_receipts: true, reject_calls: false, updated_at: expect.any(String) });
    for (const payload of [{}, { reject_calls: 1 }, { nope: true }, { call_reply_text: '' }]) {
      const bad = await subject.app.inject({ method: 'PATCH', url, headers: auth, payload });
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
      expect(bad.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
  });

  it('declines a ringing call once (then 409), 404 for an unknown one, and at once with reject_calls', async () => {
    const { auth, instance } = await connectedSandbox();
    const base = `/v1/instances/${instance}`;
    const rung = await subject.post(`${base}/sandbox/inbound`, auth, { kind: 'call', from: '4915112345679', is_video: true });
    expect(rung.statusCode, rung.body).toBe(201);
    const callId = rung.json().call_id as string;
    await until(() => events('call.offered').length === 1);
    const rejected = await subject.post(`${base}/calls/${callId}/reject`, auth);
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ call_id: callId, status: 'ended', reason: 'rejected', rejected_by: 'api', is_video: true });
    expect((await subject.post(`${base}/calls/${callId}/reject`, auth)).statusCode).toBe(409);
    expect((await subject.post(`${base}/calls/UNKNOWN/reject`, auth)).statusCode).toBe(404);
    expect(events('call.terminated').map((e) => e.data)).toEqual([expect.objectContaining({ call_id: callId, rejected_by: 'api' })]);

    await subject.app.inject({ method: 'PATCH', url: `${base}/settings`, headers: auth, payload: { reject_calls: true } });
    await subject.post(`${base}/sandbox/inbound`, auth, { kind: 'call', from: '4915112345671' });
    await until(() => events('call.terminated').length === 2);
    expect(events('call.terminated')[1]!.data).toMatchObject({ from: '4915112345671', reason: 'rejected', rejected_by: 'settings' });
  });

  it('stages a status post with 202 and reports its view; refuses a post without an audience', async () => {
    const { auth, instance } = await connectedSandbox();
    const base = `/v1/instances/${instance}`;
    const posted = await subject.post(`${base}/status`, auth, { body: { type: 'text', text: 'Hi all' }, audience: ['4915112345679'] });
    expect(posted.statusCode, posted.body).toBe(202);
    expect(posted.json()).toMatchObject({ message_id: expect.stringMatching(/^msg_/), status: 'queued' });
    await subject.drainOutbox(instance);
    const sent = events('message.sent').find((e) => e.data['message_id'] === posted.json().message_id)!;
    expect(sent.data).toMatchObject({ status: 'sent', to: 'status@broadcast' });
    const viewed = await subject.post(`${base}/sandbox/inbound`, auth, { kind: 'story_view', from: '4915112345679', whatsapp_id: sent.data['whatsapp_id'] });
    expect(viewed.statusCode, viewed.body).toBe(201);
    await until(() => events('story.viewed').length === 1);
    expect(events('story.viewed')[0]!.data).toMatchObject({ message_id: posted.json().message_id, viewer: '4915112345679', kind: 'read' });
    expect((await subject.post(`${base}/status`, auth, { body: { type: 'text', text: 'x' } })).statusCode).toBe(400);
  });

  it('documents the routes and the events in OpenAPI', async () => {
    subject = await buildTestApp({ sessions: true });
    const doc = (await subject.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/instances/{id}/calls/{call_id}/reject', '/v1/instances/{id}/settings', '/v1/instances/{id}/status']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['EventData.call.offered', 'EventData.call.terminated', 'EventData.story.viewed']));
  });
});
