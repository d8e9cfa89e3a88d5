import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';
import { until } from '@whatisup/test-infra';

let subject: TestApp<{ sessions: true }>;
afterEach(async () => subject.close());

describe('DELETE /v1/instances/:id', () => {
  it('answers a connected instance with the status deletion leaves it in, then 404', async () => {
    subject = await buildTestApp({ sessions: true });
    const { auth } = await subject.newCustomer();
    const instance = await subject.newInstance(auth, { kind: 'sandbox' });
    const read = () => subject.app.inject({ method: 'GET', url: `/v1/instances/${instance}`, headers: auth });
    await subject.post(`/v1/instances/${instance}/connect`, auth);
    await until(async () => (await subject.post(`/v1/instances/${instance}/sandbox/scan`, auth)).statusCode === 204);
    await until(async () => (await read()).json().status === 'connected');

    const deleted = await subject.app.inject({ method: 'DELETE', url: `/v1/instances/${instance}`, headers: auth });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ id: instance, status: 'disconnected', status_reason: 'deleted', deleted_at: expect.any(String) });
    expect((await read()).statusCode).toBe(404);
  });
});
