import type { Repositories } from '@whatisup/core';
import { createTestDatabase, type TestDatabase } from '@whatisup/test-infra';
import type { CompiledQuery, Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKyselyDatabase, createKyselyRepositories, type Database } from '../../src/index.js';
import { explainWithoutSeqScan } from '../explain.js';
import { aNewMessage, anInstanceToSendFrom } from './message-fixtures.js';

let database: TestDatabase;
let db: Kysely<Database>;
let repos: Repositories;
let statements: CompiledQuery[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = createKyselyDatabase(database.url, { max: 2, onQuery: (event) => void statements.push(event.query) });
  repos = createKyselyRepositories(db);
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

describe('finding outbox work on Postgres', () => {
  it('claims the head of an outbox through the messages_outbox index', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    await repos.messages.stage(aNewMessage(customerId, instanceId));
    statements = [];

    const result = await repos.messages.claimNext(instanceId, { now: new Date(), until: new Date(Date.now() + 60_000), token: 't' });

    expect(result.claimed).toBe(true);
    expect(await explainWithoutSeqScan(database.url, statements[0]!)).toContain('messages_outbox');
  });

  it('lists instances with queued work through the messages_queued_instances index', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    await repos.messages.stage(aNewMessage(customerId, instanceId));
    statements = [];

    const listed = await repos.messages.listInstancesWithQueued(new Date(), { afterInstanceId: null, limit: 100 });

    expect(listed).toContainEqual({ instanceId, customerId });
    const plan = await explainWithoutSeqScan(database.url, statements[0]!);
    expect(plan).toContain('messages_queued_instances');
  });
});
