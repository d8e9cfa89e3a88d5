/*
 * The foundation API, checked from outside: a real server process on a fresh database, keys made with
 * the real CLI, requests over real HTTP.
 */
import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { dumpDatabase } from './support/sql-dump.js';

let database: TestDatabase;
let env: TestEnv;
let server: ServerProcess;
let keyA: string;
let keyB: string;

async function cliJson(args: string[]): Promise<Record<string, string>> {
  const result = await runCli([...args, '--json'], env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, string>;
}

function api(path: string, init: { method?: string; key?: string; body?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    body: init.body,
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  env = testEnv(database.url, serverRedisUrl());
  const a = await cliJson(['customer', 'create', '--name', 'Customer A']);
  const b = await cliJson(['customer', 'create', '--name', 'Customer B']);
  expect(a.id).toMatch(/^cust_/);
  keyA = (await cliJson(['key', 'create', '--customer', a.id!])).key!;
  keyB = (await cliJson(['key', 'create', '--customer', b.id!])).key!;
  server = await startServer(env);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('a real server with CLI-made keys', () => {
  it('lists no instances, then creates one', async () => {
    const empty = await api('/v1/instances', { key: keyA });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ data: [], next_cursor: null });

    const created = await api('/v1/instances', { method: 'POST', key: keyA, body: JSON.stringify({ name: 'sales' }) });
    expect(created.status).toBe(201);
    const instance = (await created.json()) as { id: string; name: string; status: string };
    expect(instance.id).toMatch(/^inst_/);
    expect(instance).toMatchObject({ name: 'sales', status: 'pending' });
    expect(created.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('answers 401 in the envelope without a key', async () => {
    const response = await api('/v1/instances');
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string }; request_id: string };
    expect(body.error.code).toBe('unauthenticated');
    expect(body.request_id).toMatch(/^req_/);
  });

  it("answers 404 for another customer's instance", async () => {
    const created = await api('/v1/instances', { method: 'POST', key: keyA, body: JSON.stringify({ name: 'private' }) });
    const { id } = (await created.json()) as { id: string };
    const response = await api(`/v1/instances/${id}`, { key: keyB });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const deletion = await api(`/v1/instances/${id}`, { method: 'DELETE', key: keyB });
    expect(deletion.status).toBe(404);
  });

  it.each([
    ['malformed JSON', { method: 'POST', body: '{"name":' }, 400],
    ['a wrong type', { method: 'POST', body: JSON.stringify({ name: 42 }) }, 400],
    ['a 2 MB body', { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) }, 413],
    ['a wrong content type', { method: 'POST', body: 'name=x', headers: { 'content-type': 'text/plain' } }, 415],
  ])('answers %s with a 4xx envelope', async (_label, init, status) => {
    const response = await api('/v1/instances', { key: keyA, ...init });
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string }; request_id: string };
    expect(typeof body.error.code).toBe('string');
    expect(body.request_id).toMatch(/^req_/);
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const response = await api('/v1/nothing-here', { key: keyA });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('keeps API key text out of the database and the logs', async () => {
    const dump = await dumpDatabase(database.url);
    expect(dump).toContain('cust_');
    for (const key of [keyA, keyB]) {
      const secret = key.split('_').slice(2).join('_');
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(secret);
      expect(server.output()).not.toContain(secret);
    }
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
