/*
 * The way from file credentials to shared ones: `whatisup credentials move-to-postgres` reads an instance's
 * DATA_DIR files into Postgres, sealed (no plaintext in a dump), sets the directory aside, and leaves an
 * instance the database does not know alone; `whatisup secrets rotate` then re-seals those entries under a
 * new SECRETS_KEY.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, testEnv, type TestEnv } from './support/processes.js';
import { queryDatabase } from './support/query-database.js';
import { dumpDatabase } from './support/sql-dump.js';
import { serverRedisUrl } from './support/redis-for-servers.js';

let database: TestDatabase;
let env: TestEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  env = testEnv(database.url, serverRedisUrl());
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

const ACCOUNT = '4915199990000:7@s.whatsapp.net';

async function writeFileCredentials(instanceId: string): Promise<void> {
  const dir = join(env['DATA_DIR']!, 'sessions', instanceId);
  await mkdir(join(dir, 'keys'), { recursive: true });
  await writeFile(join(dir, 'creds.json'), JSON.stringify({ me: { id: ACCOUNT }, noiseKey: { private: { type: 'Buffer', data: 'AQI=' } } }));
  await writeFile(join(dir, 'keys', `session--${Buffer.from('49151.0').toString('base64url')}.json`), JSON.stringify({ type: 'Buffer', data: 'YWJj' }));
}

describe('moving file credentials to Postgres', () => {
  it('moves them sealed, sets the files aside, and re-seals them at a key rotation', async () => {
    const customer = await runCli(['customer', 'create', '--name', 'Movers', '--json'], env);
    expect(customer.code, customer.stderr).toBe(0);
    const customerId = (JSON.parse(customer.stdout) as { id: string }).id;
    const instanceId = 'inst_01MOVEDCREDENTIALS0000000';
    await queryDatabase(database.url, `INSERT INTO instances (id, customer_id, name, kind, status) VALUES ($1, $2, 'moved', 'whatsapp', 'connected')`, [instanceId, customerId]);
    await writeFileCredentials(instanceId);
    await writeFileCredentials('inst_01UNKNOWNTOTHEDATABASE000');

    const moved = await runCli(['credentials', 'move-to-postgres', '--json'], env);
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout)).toEqual({ moved: [instanceId], already_in_postgres: [], unknown_instance: ['inst_01UNKNOWNTOTHEDATABASE000'] });
    const rows = await queryDatabase<{ name: string }>(database.url, `SELECT name FROM session_credentials WHERE instance_id = $1 ORDER BY name`, [instanceId]);
    expect(rows.map((row) => row.name)).toEqual(['creds', 'session/49151.0']);
    expect(await dumpDatabase(database.url)).not.toContain('4915199990000');
    const left = await readdir(join(env['DATA_DIR']!, 'sessions'));
    expect(left).toContain('inst_01UNKNOWNTOTHEDATABASE000');
    expect(left.filter((name) => name.startsWith(`${instanceId}.moved-`))).toHaveLength(1);
    expect(left).not.toContain(instanceId);

    const next = randomBytes(32).toString('base64');
    const rotated = await runCli(['secrets', 'rotate', '--json'], { ...env, SECRETS_KEY: next, SECRETS_KEY_PREVIOUS: env['SECRETS_KEY']! });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ credentials: { scanned: 2, resealed: 2 } });
    const again = await runCli(['secrets', 'rotate', '--json'], { ...env, SECRETS_KEY: next });
    expect(JSON.parse(again.stdout)).toMatchObject({ credentials: { scanned: 2, resealed: 0 } });
  }, 120_000);
});
