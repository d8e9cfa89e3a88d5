import { createFakeClock } from '@whatisup/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('error messages that say what to do', () => {
  let subject: TestApp<{ clock: ReturnType<typeof createFakeClock>; messages: true; webhooks: true }>;
  let auth: Record<string, string>;
  afterEach(async () => subject.close());

  async function start(options: { bodyLimitBytes?: number } = {}) {
    subject = await buildTestApp({ clock: createFakeClock(), messages: true, webhooks: true, ...options });
    ({ auth } = await subject.newCustomer());
  }
  const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', url: string, payload?: object | string) =>
    subject.app.inject({ method, url, headers: { ...auth, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload }) });

  it('names an unknown body field as such, not "Expected never"', async () => {
    await start();
    const response = await inject('POST', '/v1/instances', { name: 'a', txt: 'b' });
    expect(response.statusCode).toBe(400);
    const issue = response.json().error.details.issues[0];
    expect(issue).toEqual({ in: 'body', path: 'txt', message: 'unknown field "txt"' });
    expect(response.json().error.message).toBe('Invalid request: body.txt: unknown field "txt"');
  });

  it('states the body limit in a 413', async () => {
    await start({ bodyLimitBytes: 2048 });
    const response = await inject('POST', '/v1/instances', JSON.stringify({ name: 'a', metadata: { pad: 'x'.repeat(4000) } }));
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({ code: 'payload_too_large', details: { limit_bytes: 2048 } });
    expect(response.json().error.message).toContain('2048 bytes');
  });

  it('points a send to a pending instance at POST /v1/instances/:id/connect', async () => {
    await start();
    const instanceId = await subject.newInstance(auth);
    const response = await inject('POST', `/v1/instances/${instanceId}/messages`, { to: '4915112345678', body: { type: 'text', text: 'hi' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('not_connected');
    expect(response.json().error.message).toContain(`POST /v1/instances/${instanceId}/connect`);
  });

  it('answers a known path with the wrong method with 405 and Allow, in the envelope', async () => {
    await start();
    const response = await inject('PUT', '/v1/instances');
    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe('GET, HEAD, POST');
    expect(response.json()).toMatchObject({
      error: { code: 'method_not_allowed', details: { allowed: ['GET', 'HEAD', 'POST'] } },
      request_id: expect.stringMatching(/^req_/),
    });
    const withId = await inject('PATCH', '/v1/instances/inst_123');
    expect(withId.statusCode).toBe(405);
    expect(withId.headers['allow']).toContain('DELETE');
    expect((await inject('GET', '/v1/nothing-here')).statusCode).toBe(404);
  });

  it('gives a bad event name details.issues like every invalid_input', async () => {
    await start();
    const response = await inject('POST', '/v1/webhook-endpoints', { url: 'https://hooks.example.com/in', events: ['message.nope'] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_input');
    expect(response.json().error.details.issues).toEqual([{ in: 'body', path: 'events', message: expect.stringContaining('message.nope') }]);
  });
});
