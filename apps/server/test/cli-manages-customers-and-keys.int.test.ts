import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';

let database: TestDatabase;
let env: TestEnv;
let server: ServerProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  // No key cache, so a revocation made by the CLI (another process) is seen at once.
  env = testEnv(database.url, serverRedisUrl(), { API_KEY_CACHE_TTL_MS: '0' });
  server = await startServer(env);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

describe('the operator CLI', () => {
  it('creates and lists customers, as JSON and for people', async () => {
    const created = await runCli(['customer', 'create', '--name', 'Acme', '--json'], env);
    expect(created.code).toBe(0);
    const { id } = json(created.stdout);
    expect(id).toMatch(/^cust_/);

    const listed = await runCli(['customer', 'list', '--json'], env);
    expect(json(listed.stdout).data).toContainEqual(expect.objectContaining({ id, name: 'Acme' }));
    const human = await runCli(['customer', 'list'], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(id as string);
  });

  it('creates a key that works once, revokes it, and audits both as the CLI', async () => {
    const { id: customerId } = json((await runCli(['customer', 'create', '--name', 'Keys Ltd', '--json'], env)).stdout);
    const created = await runCli(['key', 'create', '--customer', customerId as string, '--name', 'ops', '--json'], env);
    expect(created.code).toBe(0);
    const { id: keyId, key } = json(created.stdout) as { id: string; key: string };
    expect(keyId).toMatch(/^key_/);
    expect(key).toMatch(/^wiu_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/);

    const auth = { authorization: `Bearer ${key}` };
    expect((await fetch(`${server.url}/v1/instances`, { headers: auth })).status).toBe(200);
    const audit = (await (await fetch(`${server.url}/v1/audit-events`, { headers: auth })).json()) as {
      data: Array<{ action: string; actor: { type: string } }>;
    };
    expect(audit.data).toContainEqual(expect.objectContaining({ action: 'api_key.created', actor: expect.objectContaining({ type: 'cli' }) }));
    expect(audit.data).toContainEqual(expect.objectContaining({ action: 'customer.created', actor: expect.objectContaining({ type: 'cli' }) }));

    const revoked = await runCli(['key', 'revoke', '--id', keyId], env);
    expect(revoked.code).toBe(0);
    expect((await fetch(`${server.url}/v1/instances`, { headers: auth })).status).toBe(401);
  });

  it('binds a key to an instance', async () => {
    const { id: customerId } = json((await runCli(['customer', 'create', '--name', 'Bound', '--json'], env)).stdout);
    const { key: ownerKey } = json((await runCli(['key', 'create', '--customer', customerId as string, '--json'], env)).stdout);
    const created = await fetch(`${server.url}/v1/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerKey as string}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'only-this' }),
    });
    const { id: instanceId } = (await created.json()) as { id: string };
    const bound = await runCli(['key', 'create', '--customer', customerId as string, '--instance', instanceId, '--json'], env);
    expect(json(bound.stdout)).toMatchObject({ instance_id: instanceId });
    const other = await runCli(['key', 'create', '--customer', customerId as string, '--instance', 'inst_00000000000000000000000000', '--json'], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('No instance');
  });

  it.each([
    [['frobnicate'], 'unknown command: frobnicate'],
    [['customer', 'create'], '--name is required'],
    [['key', 'create', '--customer'], "Option '--customer <value>' argument missing"],
    [['key', 'revoke', '--id', 'key_x', '--force'], "Unknown option '--force'"],
  ])('exits 2 with usage for %j', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: whatisup');
  });

  it('exits 78 naming a bad variable', async () => {
    const result = await runCli(['customer', 'list'], { ...env, PORT: 'eighty' });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('PORT must be a whole number');
  });
});
