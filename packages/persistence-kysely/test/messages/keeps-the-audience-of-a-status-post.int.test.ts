import type { Repositories, UnitOfWork } from '@whatisup/core';
import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKyselyDatabase, createKyselyUnitOfWork, type Database } from '../../src/index.js';
import { aNewMessage, anInstanceToSendFrom } from './message-fixtures.js';

let database: TestDatabase;
let db: Kysely<Database>;
let uow: UnitOfWork;
let repos: Repositories;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createKyselyDatabase(database.url, { max: 4 });
  uow = createKyselyUnitOfWork(db);
  repos = uow.repos;
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

describe('status posts on Postgres', () => {
  it('stores who may see a status post and reads it back on the claim, and none for other messages', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    const statusPost = { audience: ['4915112345679@s.whatsapp.net', '8765432115194@lid'], backgroundColor: '#FF0000', font: 2 };
    const staged = await repos.messages.stage({ ...aNewMessage(customerId, instanceId), recipient: 'status@broadcast', statusPost });
    expect(staged.outcome).toBe('staged');
    const plain = await repos.messages.stage(aNewMessage(customerId, instanceId));
    const post = staged.outcome === 'staged' ? staged.message : null;
    expect(post?.statusPost).toEqual(statusPost);
    expect((await repos.messages.findById(customerId, post!.id))?.statusPost).toEqual(statusPost);
    expect(plain.outcome === 'staged' && plain.message.statusPost).toBeFalsy();
    const claim = await repos.messages.claimNext(instanceId, { now: new Date(Date.now() + 1_000), until: new Date(Date.now() + 60_000), token: 't1' });
    expect(claim.claimed && claim.message.statusPost).toEqual(statusPost);
  });
});
