/*
 * The server connects as a login role that is a member of whatisup_app (production's shape) and takes
 * whatisup_app on every pooled connection. Migrations and these tests' setup run as the owner (postgres).
 */
import { createTestDatabase, infra, type TestDatabase } from '@whatisup/test-infra';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKyselyDatabase, type Database } from '../src/index.js';

let database: TestDatabase;
let owner: pg.Client;
let app: Kysely<Database>;
const login = `wiu_login_${randomBytes(4).toString('hex')}`;
const asOwner = async (text: string, params: unknown[] = []) => (await owner.query<Record<string, unknown>>(text, params)).rows;
const asApp = (text: string) => sql.raw(text).execute(app);
let n = 0;
let ids: { customer: string; key: string; instance: string; audit: string };

beforeAll(async () => {
  database = await createTestDatabase();
  owner = new pg.Client({ connectionString: database.url });
  await owner.connect();
  await asOwner(`CREATE ROLE ${login} LOGIN IN ROLE whatisup_app`);
  const url = new URL(database.url);
  url.username = login;
  app = createKyselyDatabase(url.toString(), { role: 'whatisup_app', max: 2 });
});
afterAll(async () => {
  await app.destroy();
  await owner.end();
  await database.drop();
  // Roles outlive databases: drop the login from the cluster's admin database.
  const admin = new pg.Client({ connectionString: infra().postgresUrl ?? '' });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${login}`).finally(() => admin.end());
});

beforeEach(async () => {
  n += 1;
  ids = { customer: `cust_r${n}`, key: `key_r${n}`, instance: `inst_r${n}`, audit: `aud_r${n}` };
  await asOwner('INSERT INTO customers (id, name) VALUES ($1, $2)', [ids.customer, 'Acme']);
  await asOwner('INSERT INTO instances (id, customer_id, name) VALUES ($1, $2, $3)', [ids.instance, ids.customer, 'main']);
  await asOwner(
    "INSERT INTO api_keys (id, customer_id, instance_id, prefix, secret_hash) VALUES ($1, $2, $3, $4, decode(repeat('ab', 32), 'hex'))",
    [ids.key, ids.customer, ids.instance, `wiu_r${n}`],
  );
  await asOwner(
    `INSERT INTO audit_events (id, customer_id, actor_type, actor_api_key_id, actor_id, action, target_type, target_id, instance_id)
     VALUES ($1, $2, 'api_key', $3, $3, 'instance.created', 'instance', $4, $4)`,
    [ids.audit, ids.customer, ids.key, ids.instance],
  );
});

const auditRow = async () => (await asOwner('SELECT * FROM audit_events WHERE id = $1', [ids.audit]))[0];

describe('the server role', () => {
  it('is whatisup_app on every pooled connection', async () => {
    const { rows } = await sql<{ current_user: string }>`SELECT current_user`.execute(app);
    expect(rows[0]?.current_user).toBe('whatisup_app');
  });

  it('writes and reads the audit log', async () => {
    await asApp(`INSERT INTO audit_events (id, actor_type, action, target_type) VALUES ('aud_app_${n}', 'system', 'x.y', 'x')`);
    const { rows } = await sql`SELECT id FROM audit_events WHERE id = ${`aud_app_${n}`}`.execute(app);
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['UPDATE', `UPDATE audit_events SET action = 'forged'`],
    ['UPDATE of a reference', 'UPDATE audit_events SET customer_id = NULL'],
    ['DELETE', 'DELETE FROM audit_events'],
    ['TRUNCATE', 'TRUNCATE audit_events'],
  ])('may not %s the audit log', async (_what, statement) => {
    const before = await auditRow();
    await expect(asApp(statement)).rejects.toThrow(/permission denied/);
    expect(await auditRow()).toEqual(before);
  });

  it('may not turn triggers off for its session', async () => {
    await expect(asApp('SET session_replication_role = replica')).rejects.toThrow(/permission denied/);
  });

  it('may not disable the trigger, drop it or replace its function', async () => {
    await expect(asApp('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only')).rejects.toThrow(/must be owner/);
    await expect(asApp('DROP TRIGGER audit_events_append_only ON audit_events')).rejects.toThrow(/must be owner/);
    await expect(asApp('CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$')).rejects.toThrow(/must be owner|permission denied/);
  });

  it('reaches every other table of the schema, partitioned ones and their partitions included', async () => {
    const rows = await asOwner(`
      SELECT c.relname AS table,
             has_table_privilege('whatisup_app', c.oid, 'SELECT, INSERT') AS writes,
             has_table_privilege('whatisup_app', c.oid, 'UPDATE') AS updates
      FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_migrations'`);
    expect(rows.filter((row) => row['writes'] !== true)).toEqual([]);
    expect(rows.filter((row) => row['updates'] !== true).map((row) => row['table'])).toEqual(['audit_events']);
  });
});

describe('the owner', () => {
  it('still clears the references of a deleted instance (and of the key that went with it)', async () => {
    await asOwner('DELETE FROM instances WHERE id = $1', [ids.instance]);
    expect(await auditRow()).toMatchObject({ customer_id: ids.customer, instance_id: null, actor_api_key_id: null, actor_id: ids.key });
  });

  it('still clears every reference of a deleted customer', async () => {
    await asOwner('DELETE FROM customers WHERE id = $1', [ids.customer]);
    expect(await auditRow()).toMatchObject({ customer_id: null, instance_id: null, actor_api_key_id: null });
  });

  it('may not clear references to rows that exist, even from another trigger', async () => {
    await asOwner(`CREATE OR REPLACE FUNCTION clear_audit_references() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE audit_events SET customer_id = NULL, instance_id = NULL, actor_api_key_id = NULL; RETURN NEW; END $$`);
    await asOwner(`CREATE TRIGGER clear_audit_references AFTER UPDATE ON customers
      FOR EACH ROW EXECUTE FUNCTION clear_audit_references()`);
    try {
      await expect(asOwner("UPDATE customers SET name = 'Renamed' WHERE id = $1", [ids.customer])).rejects.toThrow(
        /only clearing the reference to a deleted row/,
      );
      expect(await auditRow()).toMatchObject({ customer_id: ids.customer, instance_id: ids.instance, actor_api_key_id: ids.key });
    } finally {
      await asOwner('DROP TRIGGER clear_audit_references ON customers');
    }
  });
});
