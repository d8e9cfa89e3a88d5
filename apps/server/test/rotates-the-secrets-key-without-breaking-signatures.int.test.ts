/*
 * Operator key rotation end to end: a signing secret sealed under SECRETS_KEY K1 is re-sealed by
 * `whatisup secrets rotate` (K2 current, K1 previous), after which a server that knows only K2 still signs
 * with the very same secret. Along the way: the secret never appears in the database or the logs.
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { runCli, startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { dumpDatabase } from './support/sql-dump.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

let database: TestDatabase;
let env: TestEnv;
let receiver: WebhookReceiver;
let server: ServerProcess | undefined;
const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  env = testEnv(database.url, serverRedisUrl(), {
    SECRETS_KEY: k1,
    REDIS_PREFIX: uniqueRedisPrefix('rotate'),
    WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

describe('rotating SECRETS_KEY', () => {
  it('re-seals every signing secret and keeps deliveries verifiable with the same secret', async () => {
    server = await startServer(env);
    const key = await bootstrapKeyOf(server);
    const api = createApiClient(server.url, key);
    const created = await api.post<{ id: string; signing_secret: string }>('/v1/webhook-endpoints', {
      url: `${receiver.url}/hook`,
      events: ['*'],
    });
    expect(created.status).toBe(201);
    const { id, signing_secret: secret } = created.body;
    const secretBody = secret.slice('whsec_'.length);

    const dump = await dumpDatabase(database.url);
    expect(dump).toContain(id);
    expect(dump).not.toContain(secretBody);
    expect(server.output()).not.toContain(secretBody);
    expect(await server.stop()).toBe(0);

    const rotated = await runCli(['secrets', 'rotate', '--json'], { ...env, SECRETS_KEY: k2, SECRETS_KEY_PREVIOUS: k1 });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toEqual({ scanned: 1, resealed: 1, credentials: { scanned: 0, resealed: 0 } });
    const again = await runCli(['secrets', 'rotate', '--json'], { ...env, SECRETS_KEY: k2 });
    expect(JSON.parse(again.stdout)).toEqual({ scanned: 1, resealed: 0, credentials: { scanned: 0, resealed: 0 } });
    expect(await dumpDatabase(database.url)).not.toContain(secretBody);

    // K1 is gone for good: only K2 opens the secret now.
    server = await startServer({ ...env, SECRETS_KEY: k2 });
    const afterRotation = createApiClient(server.url, key);
    const sent = await afterRotation.post<{ event_id: string }>(`/v1/webhook-endpoints/${id}/test`);
    expect(sent.status).toBe(202);
    await receiver.waitFor((all) => all.some((r) => r.eventId === sent.body.event_id), 'the test event');
    const request = receiver.received.find((r) => r.eventId === sent.body.event_id)!;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    expect(new Webhook(secret).verify(request.body, headers)).toMatchObject({ event: 'webhook.test' });
  });

  it('fails, naming no key material, when a secret is sealed under a key it was not given', async () => {
    await server?.stop();
    const result = await runCli(['secrets', 'rotate'], { ...env, SECRETS_KEY: randomBytes(32).toString('base64') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/key/i);
    expect(result.stderr).not.toContain(k1);
    expect(result.stderr).not.toContain(k2);
  });
});
