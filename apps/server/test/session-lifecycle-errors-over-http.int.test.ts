/*
 * The session routes' refusals, from a real process: a request the lifecycle does not allow is 409
 * `invalid_lifecycle_transition` (or `no_qr`) and changes nothing; a sandbox instance gives a pairing code
 * while its QR shows; another customer's instance is a 404 on every session route, never a 403, and is
 * left untouched. Automatic sandbox pairing is off here (SANDBOX_AUTO_SCAN_MS=0): an instance stays
 * `qr_required` until the test scans it, so every status below is the one the test chose.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient, type ApiResponse } from './support/api-client.js';
import { createCustomerWithKey } from './support/customer-with-key.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { waitForInstanceStatus, type InstanceJson } from './support/wait-for-instance-status.js';

interface ErrorJson {
  readonly error: { code: string; message: string; details?: Record<string, unknown> };
  readonly request_id: string;
}

let database: TestDatabase;
let env: TestEnv;
let server: ServerProcess;
let owner: ApiClient;
let stranger: ApiClient;
let strangerKey: string;

async function createInstance(body: { name: string; kind?: string }): Promise<InstanceJson> {
  const created = await owner.post<InstanceJson>('/v1/instances', body);
  expect(created.status).toBe(201);
  return created.body;
}

function expectError(response: ApiResponse<unknown>, status: number, code: string): ErrorJson {
  const body = response.body as ErrorJson;
  expect({ status: response.status, code: body?.error?.code }).toEqual({ status, code });
  expect(body.request_id).toMatch(/^req_/);
  return body;
}

const statusOf = async (id: string) => (await owner.get<InstanceJson>(`/v1/instances/${id}`)).body.status;

beforeAll(async () => {
  database = await createTestDatabase();
  env = testEnv(database.url, serverRedisUrl(), { REDIS_PREFIX: uniqueRedisPrefix(), SANDBOX_AUTO_SCAN_MS: '0' });
  const [a, b] = await Promise.all([createCustomerWithKey(env, 'Owner'), createCustomerWithKey(env, 'Stranger')]);
  server = await startServer(env);
  owner = createApiClient(() => server.url, a.key);
  stranger = createApiClient(() => server.url, b.key);
  strangerKey = b.key;
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('session lifecycle requests over HTTP', () => {
  it('refuses to log out or restart a pending instance with 409 invalid_lifecycle_transition', async () => {
    const instance = await createInstance({ name: 'never-started', kind: 'sandbox' });
    const logout = expectError(await owner.post(`/v1/instances/${instance.id}/logout`), 409, 'invalid_lifecycle_transition');
    expect(logout.error.details).toMatchObject({ request: 'logout', status: 'pending' });
    expectError(await owner.post(`/v1/instances/${instance.id}/restart`), 409, 'invalid_lifecycle_transition');
    expectError(await owner.post(`/v1/instances/${instance.id}/sandbox/scan`), 409, 'invalid_lifecycle_transition');
    expect(await statusOf(instance.id)).toBe('pending');
  });

  it('gives a sandbox instance a pairing code while its QR shows, and refuses one once it is connected', async () => {
    const instance = await createInstance({ name: 'pair-by-code', kind: 'sandbox' });
    expectError(await owner.post(`/v1/instances/${instance.id}/pair-code`, { phone_number: '+49 151 1234' }), 400, 'invalid_input');

    const paired = await owner.post<{ code: string }>(`/v1/instances/${instance.id}/pair-code`, { phone_number: '4915112345678' });
    expect(paired.status).toBe(200);
    expect(paired.body.code).toMatch(/^[A-Z0-9]{8}$/);
    // The session's QR is persisted by its event handler, a moment after the request returned.
    await waitForInstanceStatus(owner, instance.id, 'qr_required');

    expect((await owner.post(`/v1/instances/${instance.id}/sandbox/scan`)).status).toBe(204);
    await waitForInstanceStatus(owner, instance.id, 'connected');
    expectError(await owner.post(`/v1/instances/${instance.id}/pair-code`, { phone_number: '4915112345678' }), 409, 'invalid_lifecycle_transition');
    expectError(await owner.get(`/v1/instances/${instance.id}/qr`), 409, 'no_qr');
    expectError(await owner.post(`/v1/instances/${instance.id}/connect`), 409, 'invalid_lifecycle_transition');
    expect(await statusOf(instance.id)).toBe('connected');
  });

  it('logs a connected instance out once; a second logout is 409', async () => {
    const instance = await createInstance({ name: 'log-me-out', kind: 'sandbox' });
    expect((await owner.post(`/v1/instances/${instance.id}/connect`)).status).toBe(202);
    expect((await owner.post(`/v1/instances/${instance.id}/sandbox/scan`)).status).toBe(204);
    await waitForInstanceStatus(owner, instance.id, 'connected');

    const logout = await owner.post<InstanceJson>(`/v1/instances/${instance.id}/logout`);
    expect(logout.status).toBe(200);
    expect(logout.body).toMatchObject({ status: 'disconnected', status_reason: 'logout' });
    expectError(await owner.post(`/v1/instances/${instance.id}/logout`), 409, 'invalid_lifecycle_transition');
    expectError(await owner.post(`/v1/instances/${instance.id}/sandbox/inbound`, { from: '4915112345678', body: { type: 'text', text: 'hi' } }), 409, 'not_connected');
  });

  it("answers 404 on every session route for another customer's instance and leaves it untouched", async () => {
    const instance = await createInstance({ name: 'owned', kind: 'sandbox' });
    const id = instance.id;
    const attempts: Array<[string, Promise<ApiResponse<unknown>>]> = [
      ['connect', stranger.post(`/v1/instances/${id}/connect`)],
      ['qr', stranger.get(`/v1/instances/${id}/qr`)],
      ['pair-code', stranger.post(`/v1/instances/${id}/pair-code`, { phone_number: '4915112345678' })],
      ['logout', stranger.post(`/v1/instances/${id}/logout`)],
      ['restart', stranger.post(`/v1/instances/${id}/restart`)],
      ['sandbox/scan', stranger.post(`/v1/instances/${id}/sandbox/scan`)],
      ['sandbox/inbound', stranger.post(`/v1/instances/${id}/sandbox/inbound`, { from: '4915112345678', body: { type: 'text', text: 'hi' } })],
      ['delete', stranger.request('DELETE', `/v1/instances/${id}`)],
    ];
    for (const [route, attempt] of attempts) {
      const response = await attempt;
      expect({ route, status: response.status, code: (response.body as ErrorJson).error.code }).toEqual({ route, status: 404, code: 'not_found' });
    }
    const stream = await fetch(`${server.url}/v1/events?instance_id=${id}`, { headers: { authorization: `Bearer ${strangerKey}` } });
    expect(stream.status).toBe(404);
    expect(((await stream.json()) as ErrorJson).error.code).toBe('not_found');

    // Nothing the stranger asked for happened: no session was started, the instance was not deleted.
    expect(await owner.get<InstanceJson>(`/v1/instances/${id}`)).toMatchObject({ status: 200, body: { status: 'pending' } });
    const audit = await owner.get<{ data: Array<{ action: string }> }>(`/v1/audit-events?instance_id=${id}`);
    expect(audit.body.data.map((event) => event.action)).toEqual(['instance.created']);
  });
});
