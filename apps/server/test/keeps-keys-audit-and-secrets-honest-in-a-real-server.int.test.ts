/*
 * Against a real server process: a key never outlives the key that created it, the audit log stays
 * append-only for the database role the server runs as, and a signing secret that cannot be opened (a wrong
 * SECRETS_KEY, or sealed for another endpoint) sends nothing and says so, instead of signing with a wrong
 * secret. One server serves the file; the last test replaces it with one holding another SECRETS_KEY.
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { queryDatabase } from './support/query-database.js';
import type { DeliveryDetail } from './support/wait-for-delivery-status.js';
import { until } from '@whatisup/test-infra';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

let database: TestDatabase;
let env: TestEnv;
let receiver: WebhookReceiver;
let server: ServerProcess;
let otherKeyServer: ServerProcess | undefined;
let api: ApiClient;
let key: string;
// A login that is only a member of whatisup_app, as docs/configuration.md tells production to make one.
const appLogin = `wiu_attack_${randomBytes(6).toString('hex')}`;
// A password, because not every test server trusts local logins (the embedded one asks for SCRAM).
const appLoginPassword = randomBytes(16).toString('hex');

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  env = testEnv(database.url, serverRedisUrl(), { REDIS_PREFIX: uniqueRedisPrefix('honest'), WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32' });
  server = await startServer(env);
  key = await bootstrapKeyOf(server);
  api = createApiClient(server.url, key);
}, 60_000);

afterAll(async () => {
  await otherKeyServer?.stop();
  await server?.stop();
  await receiver?.close();
  // Roles belong to the cluster, not to the dropped test database.
  if (database) await queryDatabase(database.url, `DROP ROLE IF EXISTS ${appLogin}`);
  await database?.drop();
});

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

interface KeyJson {
  id: string;
  key: string;
  parent_key_id: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

describe('keys created by keys', () => {
  it('inherit the parent\'s expiry, may not outlive it, and are revoked with it', async () => {
    const expiresAt = new Date(Date.now() + 40_000).toISOString();
    const parent = await api.post<KeyJson>('/v1/api-keys', { name: 'parent', expires_at: expiresAt });
    expect(parent.status).toBe(201);
    expect(parent.body.expires_at).toBe(expiresAt);
    const asParent = createApiClient(server.url, parent.body.key);

    const child = await asParent.post<KeyJson>('/v1/api-keys', { name: 'child' });
    expect(child.status).toBe(201);
    expect(child.body.parent_key_id).toBe(parent.body.id);
    expect(child.body.expires_at).toBe(expiresAt);

    const outliving = await asParent.post<ErrorBody>('/v1/api-keys', { name: 'forever', expires_at: '2999-01-01T00:00:00Z' });
    expect(outliving.status).toBe(400);
    expect(outliving.body.error.code).toBe('invalid_input');
    expect(outliving.body.error.details).toMatchObject({ field: 'expires_at', max: expiresAt });

    const asChild = createApiClient(server.url, child.body.key);
    expect((await asChild.get('/v1/limits')).status).toBe(200);
    expect((await api.request('DELETE', `/v1/api-keys/${parent.body.id}`)).status).toBe(200);
    const refused = await asChild.get<ErrorBody>('/v1/limits');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');
  });
});

describe('the audit log, for the role the server runs as', () => {
  it('refuses UPDATE, DELETE, replica mode and disabling its triggers', async () => {
    const before = await queryDatabase<{ count: string }>(database.url, 'SELECT count(*) FROM audit_events');
    expect(Number(before[0]!.count)).toBeGreaterThan(0);
    await queryDatabase(database.url, `CREATE ROLE ${appLogin} LOGIN PASSWORD '${appLoginPassword}' IN ROLE whatisup_app`);
    const url = new URL(database.url);
    url.username = appLogin;
    url.password = appLoginPassword;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      // What the server's pool does on every connection (DATABASE_APP_ROLE).
      await client.query('SET ROLE whatisup_app');
      expect((await client.query('SELECT count(*) FROM audit_events')).rows[0].count).toBe(before[0]!.count);
      await expect(client.query("UPDATE audit_events SET action = 'api_key.nothing_happened'")).rejects.toThrow(/permission denied/);
      await expect(client.query('DELETE FROM audit_events')).rejects.toThrow(/permission denied/);
      await expect(client.query('SET session_replication_role = replica')).rejects.toThrow(/permission denied/);
      await expect(client.query('ALTER TABLE audit_events DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
      await expect(client.query('RESET ROLE; DELETE FROM audit_events')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
    const after = await queryDatabase<{ count: string; disabled: string }>(
      database.url,
      "SELECT (SELECT count(*) FROM audit_events) AS count, (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND tgenabled = 'D') AS disabled",
    );
    expect(after[0]).toEqual({ count: before[0]!.count, disabled: '0' });
  });
});

const SECRET_UNAVAILABLE = /^Not sent: the server cannot open this endpoint's signing secret/;

async function createEndpoint(client: ApiClient, path: string): Promise<string> {
  const created = await client.post<{ id: string }>('/v1/webhook-endpoints', { url: `${receiver.url}${path}`, events: ['webhook.test'] });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** Sends a webhook.test to the endpoint and resolves with its delivery once the worker has looked at it. */
async function testDeliveryOf(client: ApiClient, endpointId: string): Promise<DeliveryDetail> {
  const sent = await client.post<{ delivery_id: string }>(`/v1/webhook-endpoints/${endpointId}/test`);
  expect(sent.status).toBe(202);
  let last: DeliveryDetail | undefined;
  await until(
    async () => {
      last = (await client.get<DeliveryDetail>(`/v1/webhook-deliveries/${sent.body.delivery_id}`)).body;
      return last.last_error !== null || last.status !== 'pending';
    },
    { timeoutMs: 20_000, intervalMs: 100, message: () => `delivery never looked at: ${JSON.stringify(last)}` },
  );
  return last!;
}

describe('signing secrets that cannot be opened', () => {
  it('does not sign with the secret of another endpoint when the sealed secrets are swapped', async () => {
    const first = await createEndpoint(api, '/swapped-first');
    const second = await createEndpoint(api, '/swapped-second');
    const [a, b] = [first, second].sort();
    await queryDatabase(
      database.url,
      `UPDATE webhook_endpoints e SET secret_ciphertext = o.secret_ciphertext, secret_key_id = o.secret_key_id
         FROM webhook_endpoints o WHERE (e.id = $1 AND o.id = $2) OR (e.id = $2 AND o.id = $1)`,
      [a, b],
    );
    // Before secrets were bound to their endpoint, the swapped secret opened and signed this delivery.
    const delivery = await testDeliveryOf(api, first);
    expect(delivery).toMatchObject({ status: 'pending', attempt_count: 0, last_error: expect.stringMatching(SECRET_UNAVAILABLE) });
    expect(receiver.received.filter((r) => r.path.startsWith('/swapped'))).toHaveLength(0);
  });

  it('a server with another SECRETS_KEY sends nothing, says why per delivery, in /readyz and once per endpoint in its log', async () => {
    const endpoint = await createEndpoint(api, '/other-key');
    expect(await server.stop()).toBe(0);
    otherKeyServer = await startServer({ ...env, SECRETS_KEY: randomBytes(32).toString('base64') });
    const other = createApiClient(otherKeyServer.url, key);

    const deliveries = [await testDeliveryOf(other, endpoint), await testDeliveryOf(other, endpoint)];
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ status: 'pending', attempt_count: 0, last_error: expect.stringMatching(SECRET_UNAVAILABLE) });
    }
    expect(receiver.received.filter((r) => r.path === '/other-key')).toHaveLength(0);

    const ready = await fetch(`${otherKeyServer.url}/readyz`);
    expect(ready.status).toBe(503);
    const readyBody = (await ready.json()) as { error: { details: { checks: Record<string, boolean> } } };
    expect(readyBody.error.details.checks.webhook_secrets).toBe(false);

    const logged = otherKeyServer
      .output()
      .split('\n')
      .filter((line) => line.includes('webhook signing secret cannot be opened'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.endpoint_id === endpoint);
    // Logged under `secret`, the report was blanked by the logger's redaction: no endpoint, no key id.
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ secret_key_id: expect.any(String), reason: expect.any(String) });
  });
});
