import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKyselyDatabase, createKyselyRetentionJob, runAsLeader, type Database } from '../src/index.js';

let database: TestDatabase;
// Two pools: two processes sharing one database.
let first: Kysely<Database>;
let second: Kysely<Database>;

beforeAll(async () => {
  database = await createTestDatabase();
  first = createKyselyDatabase(database.url, { max: 2 });
  second = createKyselyDatabase(database.url, { max: 2 });
});
afterAll(async () => {
  await first.destroy();
  await second.destroy();
  await database.drop();
});

const clock = { now: () => new Date() };

describe('the retention leader lock', () => {
  it('lets only one of two concurrent retention runs work, and the other run later', async () => {
    const jobA = createKyselyRetentionJob(first, { clock });
    const jobB = createKyselyRetentionJob(second, { clock });

    // Process A holds the lock (as if mid-run) while process B's job starts.
    const whileALeads = await runAsLeader(first, 'retention', async () => jobB());

    expect(whileALeads).toEqual({ led: true, result: null });
    // Released: the next run of either process does the work.
    expect(await jobB()).not.toBeNull();
    expect(await jobA()).not.toBeNull();
  });

  it('makes exactly one of two simultaneous runs lead', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const a = runAsLeader(first, 'retention', async () => {
      entered();
      await held;
      return 'a';
    });
    await inside;
    const b = await runAsLeader(second, 'retention', async () => 'b');
    release();

    expect([await a, b]).toEqual([{ led: true, result: 'a' }, { led: false }]);
  });
});
