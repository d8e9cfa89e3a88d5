import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';

let database: TestDatabase;
let client: pg.Client;
const query = async (text: string, params: unknown[] = []) =>
  (await client.query<Record<string, unknown>>(text, params)).rows;
let n = 0;
let ids: { customer: string; key: string; instance: string; audit: string };

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await database.drop();
});

/** A customer with an instance and a key bound to it, and one audit row referencing all three. */
beforeEach(async () => {
  n += 1;
  ids = { customer: `cust_${n}`, key: `key_${n}`, instance: `inst_${n}`, audit: `aud_${n}` };
  await query('INSERT INTO customers (id, name) VALUES ($1, $2)', [ids.customer, 'Acme']);
  await query('INSERT INTO instances (id, customer_id, name) VALUES ($1, $2, $3)', [
    ids.instance,
    ids.customer,
    'main',
  ]);
  await query(
    "INSERT INTO api_keys (id, customer_id, instance_id, prefix, secret_hash) VALUES ($1, $2, $3, $4, decode(repeat('ab', 32), 'hex'))",
    [ids.key, ids.customer, ids.instance, `wiu_${n}`],
  );
  await query(
    `INSERT INTO audit_events (id, customer_id, actor_type, actor_api_key_id, actor_id, action, target_type, target_id, instance_id, data)
     VALUES ($1, $2, 'api_key', $3, $3, 'instance.created', 'instance', $4, $4, '{"name":"main"}')`,
    [ids.audit, ids.customer, ids.key, ids.instance],
  );
});

const auditRow = async () =>
  (await query('SELECT * FROM audit_events WHERE id = $1', [ids.audit]))[0];

describe('audit_events rejects changes', () => {
  it('rejects DELETE', async () => {
    await expect(query('DELETE FROM audit_events WHERE id = $1', [ids.audit])).rejects.toThrow(
      /append-only: DELETE is not allowed/,
    );
    expect(await auditRow()).toBeDefined();
  });

  it('rejects TRUNCATE', async () => {
    await expect(query('TRUNCATE audit_events')).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await auditRow()).toBeDefined();
  });

  it.each([
    ['id', "'aud_other'"],
    ['actor_type', "'cli'"],
    ['actor_id', "'key_forged'"],
    ['action', "'instance.deleted'"],
    ['target_type', "'api_key'"],
    ['target_id', 'NULL'],
    ['data', "'{}'::jsonb"],
    ['occurred_at', "now() - interval '1 day'"],
  ])('rejects an UPDATE of %s', async (column, value) => {
    const before = await auditRow();
    await expect(
      query(`UPDATE audit_events SET ${column} = ${value} WHERE id = $1`, [ids.audit]),
    ).rejects.toThrow(/append-only/);
    expect(await auditRow()).toEqual(before);
  });

  it.each(['customer_id', 'actor_api_key_id', 'instance_id'])(
    'rejects a direct UPDATE of the reference %s, even to NULL',
    async (column) => {
      await expect(
        query(`UPDATE audit_events SET ${column} = NULL WHERE id = $1`, [ids.audit]),
      ).rejects.toThrow(/append-only/);
      expect((await auditRow())?.[column]).not.toBeNull();
    },
  );
});

describe('audit_events outlives what it references', () => {
  it('keeps the row when the customer is deleted, with every reference cleared and actor_id intact', async () => {
    await query('DELETE FROM customers WHERE id = $1', [ids.customer]);

    expect(await auditRow()).toMatchObject({
      customer_id: null,
      actor_api_key_id: null,
      instance_id: null,
      actor_id: ids.key,
      action: 'instance.created',
      target_id: ids.instance,
      data: { name: 'main' },
    });
  });

  it('keeps the row when the acting API key is deleted', async () => {
    await query('DELETE FROM api_keys WHERE id = $1', [ids.key]);

    expect(await auditRow()).toMatchObject({ customer_id: ids.customer, actor_api_key_id: null, actor_id: ids.key });
  });

  it('keeps the row when the instance is deleted', async () => {
    await query('DELETE FROM instances WHERE id = $1', [ids.instance]);

    expect(await auditRow()).toMatchObject({
      customer_id: ids.customer,
      instance_id: null,
      actor_api_key_id: null, // the key was bound to the instance and went with it
      actor_id: ids.key,
      target_id: ids.instance,
    });
  });
});
