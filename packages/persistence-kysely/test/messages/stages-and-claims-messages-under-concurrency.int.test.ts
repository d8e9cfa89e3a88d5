import type { Repositories, UnitOfWork } from '@whatisup/core';
import { createTestDatabase, until, type TestDatabase } from '@whatisup/test-infra';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKyselyDatabase, createKyselyRepositories, createKyselyUnitOfWork, type Database } from '../../src/index.js';
import { query } from '../query.js';
import { aNewMessage, anInstanceToSendFrom } from './message-fixtures.js';

let database: TestDatabase;
let db: Kysely<Database>;
let uow: UnitOfWork;
let repos: Repositories;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createKyselyDatabase(database.url, { max: 10 });
  uow = createKyselyUnitOfWork(db);
  repos = uow.repos;
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const count = async (sql: string, params: unknown[]) =>
  Number((await query<{ n: string }>(database.url, sql, params))[0]?.n);
const later = (ms: number) => new Date(Date.now() + ms);

describe('staging messages on Postgres', () => {
  it('stages one message for 20 concurrent identical requests and shows the rest the first', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    const same = { idempotencyKey: 'order-1', clientRef: 'ref-1' };

    const results = await Promise.all(
      Array.from({ length: 20 }, () => repos.messages.stage(aNewMessage(customerId, instanceId, same))),
    );

    const staged = results.flatMap((r) => (r.outcome === 'staged' ? [r.message] : []));
    expect(staged).toHaveLength(1);
    for (const r of results) {
      expect(r.outcome === 'staged' ? r.message.id : r.existing.id).toBe(staged[0]!.id);
    }
    expect(await count('SELECT count(*) AS n FROM messages WHERE instance_id = $1', [instanceId])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM message_status_history WHERE customer_id = $1', [customerId])).toBe(1);
  });

  it('keeps a transaction usable after staging a duplicate in it', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    const first = await repos.messages.stage(aNewMessage(customerId, instanceId, { clientRef: 'again' }));

    const [result, rows] = await uow.transaction(async (tx) => {
      const again = await tx.messages.stage(aNewMessage(customerId, instanceId, { clientRef: 'again' }));
      return [again, await tx.messages.list(customerId, { limit: 10 })] as const;
    });

    expect(result).toEqual({ outcome: 'duplicate', existing: first.outcome === 'staged' ? first.message : null });
    expect(rows.data).toHaveLength(1);
  });
});

describe('claiming the outbox on Postgres', () => {
  it('lets exactly one of 20 concurrent claims take the head', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    await repos.messages.stage(aNewMessage(customerId, instanceId));
    await repos.messages.stage(aNewMessage(customerId, instanceId));

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repos.messages.claimNext(instanceId, { now: new Date(), until: later(60_000), token: `w${i}` }),
      ),
    );

    expect(results.filter((r) => r.claimed)).toHaveLength(1);
  });

  it('hands 200 messages to 4 competing workers strictly in seq order, each exactly once', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    // Staged concurrently: seq, not the order of these calls, is what the claims must follow.
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => repos.messages.stage(aNewMessage(customerId, instanceId, { clientRef: `m${i}` }))),
    );
    const claimedSeqs: number[] = [];

    async function worker(name: string): Promise<void> {
      for (let round = 0; ; round++) {
        const token = `${name}-${round}`;
        const result = await repos.messages.claimNext(instanceId, { now: new Date(), until: later(60_000), token });
        if (!result.claimed) {
          if (result.retryAt === null) return;
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        claimedSeqs.push(result.message.seq);
        const sent = await repos.messages.markSent(result.message.id, token, { whatsappId: `wa-${result.message.id}`, at: new Date() });
        expect(sent).toMatchObject({ status: 'sent' });
      }
    }
    await Promise.all(['a', 'b', 'c', 'd'].map(worker));

    expect(claimedSeqs).toHaveLength(200);
    expect(claimedSeqs).toEqual([...claimedSeqs].sort((x, y) => x - y));
    expect(new Set(claimedSeqs).size).toBe(200);
    expect(await count("SELECT count(*) AS n FROM messages WHERE instance_id = $1 AND status = 'sent'", [instanceId])).toBe(200);
  });
});

describe('ordering while messages are still being staged', () => {
  it('holds a later stage of the same instance until the earlier one commits, so no worker overtakes it', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    const elsewhere = await anInstanceToSendFrom(repos);
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstStaged!: () => void;
    const firstIsStaged = new Promise<void>((resolve) => (firstStaged = resolve));

    const first = uow.transaction(async (tx) => {
      const staged = await tx.messages.stage(aNewMessage(customerId, instanceId, { clientRef: 'first' }));
      firstStaged();
      await firstMayCommit; // a use case still writing its audit row
      return staged;
    });
    await firstIsStaged;
    let secondCommitted = false;
    const second = repos.messages.stage(aNewMessage(customerId, instanceId, { clientRef: 'second' })).then((r) => {
      secondCommitted = true;
      return r;
    });
    // Another instance's stage does not wait.
    expect((await repos.messages.stage(aNewMessage(elsewhere.customerId, elsewhere.instanceId))).outcome).toBe('staged');
    // Postgres shows the second stage blocked behind the first transaction's lock.
    const waitingOnALock = `SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    await until(async () => (await count(waitingOnALock, [])) === 1, { message: 'the second stage to wait on a lock' });

    expect(secondCommitted).toBe(false);
    expect(await repos.messages.claimNext(instanceId, { now: new Date(), until: later(60_000), token: 'early' })).toEqual({
      claimed: false,
      retryAt: null,
    });

    commitFirst();
    const [a, b] = await Promise.all([first, second]);
    if (a.outcome !== 'staged' || b.outcome !== 'staged') throw new Error('expected two staged messages');
    expect(b.message.seq).toBeGreaterThan(a.message.seq);
    const claim = await repos.messages.claimNext(instanceId, { now: new Date(), until: later(60_000), token: 'head' });
    expect(claim.claimed && claim.message.id).toBe(a.message.id);
  });
});

describe('receipts on Postgres', () => {
  it('ends at read when delivered and read receipts race, and never records a step backwards', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    for (let round = 0; round < 10; round++) {
      const staged = await repos.messages.stage(aNewMessage(customerId, instanceId));
      if (staged.outcome !== 'staged') throw new Error('expected a staged message');
      const claim = await repos.messages.claimNext(instanceId, { now: new Date(), until: later(60_000), token: `t${round}` });
      if (!claim.claimed) throw new Error('expected a claim');
      await repos.messages.markSent(claim.message.id, `t${round}`, { whatsappId: `wa-r${round}`, at: new Date() });

      const at = new Date();
      await Promise.all([
        repos.messages.markStatus(instanceId, `wa-r${round}`, { status: 'read', at, participant: null }),
        repos.messages.markStatus(instanceId, `wa-r${round}`, { status: 'delivered', at, participant: 'p@s.whatsapp.net' }),
      ]);

      expect((await repos.messages.findById(customerId, claim.message.id))?.status).toBe('read');
      const trail = (await repos.messages.history(customerId, claim.message.id)).map((e) => e.status);
      expect(['queued,sent,read', 'queued,sent,delivered,read']).toContain(trail.join(','));
    }
  });
});
