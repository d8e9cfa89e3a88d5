import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createEmptyDatabase, type TestDatabase } from '@whatisup/test-infra';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { findMigrationsDir, runMigrations } from '../src/index.js';
import { query } from './query.js';
import { tempMigrations, type TempMigrations } from './temp-migrations.js';
import { deliveryIdAt, partitionDay } from './webhooks/delivery-id-at.js';

let database: TestDatabase;
let migrations: TempMigrations;

beforeEach(async () => {
  database = await createEmptyDatabase();
  migrations = await tempMigrations();
});
afterEach(async () => {
  await database.drop();
  await migrations.cleanup();
});

/** Copies the repository's migrations whose names sort in [from, to) into the scratch directory. */
async function copyMigrations(from: string, to: string): Promise<void> {
  const dir = findMigrationsDir();
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.sql') && n >= from && n < to)) {
    await migrations.write(name, await readFile(join(dir, name), 'utf8'));
  }
}

const DAY = 86_400_000;

it('moves existing deliveries, attempts and messages into the new layout, repairing what broke an invariant', async () => {
  await copyMigrations('0000', '0010');
  await runMigrations({ connectionString: database.url, migrationsDir: migrations.dir });
  const yesterday = deliveryIdAt(new Date(Date.now() - DAY));
  const unscheduled = deliveryIdAt(new Date());
  const stray = 'dlv_not_time_ordered';
  await query(
    database.url,
    `INSERT INTO customers (id, name) VALUES ('cust_1', 'c');
     INSERT INTO instances (id, customer_id, name) VALUES ('inst_1', 'cust_1', 'i');
     INSERT INTO webhook_endpoints (id, customer_id, url, events, secret_ciphertext, secret_key_id)
       VALUES ('wh_1', 'cust_1', 'https://example.com', ARRAY['*'], 'x', 'k');
     INSERT INTO webhook_deliveries (id, customer_id, endpoint_id, event, event_id, payload, status, next_attempt_at, claim_token, created_at)
       VALUES ('${yesterday}', 'cust_1', 'wh_1', 'e', 'evt_1', '{}', 'failed', NULL, NULL, now() - interval '1 day'),
              ('${unscheduled}', 'cust_1', 'wh_1', 'e', 'evt_2', '{}', 'pending', NULL, 'lone-token', now()),
              ('${stray}', 'cust_1', 'wh_1', 'e', 'evt_3', '{}', 'success', NULL, NULL, now());
     INSERT INTO webhook_delivery_attempts (id, delivery_id, customer_id, attempt_number, started_at, duration_ms)
       VALUES ('att_1', '${yesterday}', 'cust_1', 1, now(), 3);
     INSERT INTO messages (id, customer_id, instance_id, recipient, body, request_hash, status, whatsapp_id)
       VALUES ('msg_1', 'cust_1', 'inst_1', 'r', '{"type":"image","media_base64":"aGVsbG8=","mime_type":"image/png"}', 'h', 'sent', 'W1'),
              ('msg_2', 'cust_1', 'inst_1', 'r', '{"type":"image","media_base64":"aGVsbG8=","mime_type":"image/png"}', 'h', 'queued', NULL);`,
  );

  await copyMigrations('0010', '9999');
  const result = await runMigrations({ connectionString: database.url, migrationsDir: migrations.dir });

  expect(result.applied[0]).toBe('0010_partition_webhook_deliveries.sql');
  const rows = await query<{ id: string; part: string; next_attempt_at: Date | null; claim_token: string | null }>(
    database.url,
    'SELECT id, tableoid::regclass::text AS part, next_attempt_at, claim_token FROM webhook_deliveries ORDER BY id',
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  expect(byId.get(yesterday)?.part).toBe(`webhook_deliveries_p${partitionDay(new Date(Date.now() - DAY))}`);
  expect(byId.get(stray)?.part).toBe('webhook_deliveries_default');
  expect(byId.get(unscheduled)).toMatchObject({ claim_token: null, next_attempt_at: expect.any(Date) });
  expect(await query(database.url, 'SELECT id, delivery_id FROM webhook_delivery_attempts')).toEqual([
    { id: 'att_1', delivery_id: yesterday },
  ]);
  const bodies = await query<{ id: string; body: Record<string, unknown> }>(database.url, 'SELECT id, body FROM messages ORDER BY id');
  expect(bodies[0]!.body).toEqual({ type: 'image', mime_type: 'image/png', media_size: 5, media_sha256: expect.stringMatching(/^2cf24dba/) });
  // A queued message still needs its bytes to be sent.
  expect(bodies[1]!.body).toMatchObject({ media_base64: 'aGVsbG8=' });
});
