import type { Repositories } from '@whatisup/core';
import type { TestDatabase } from '@whatisup/test-infra';
import type { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyRepositories } from '../../src/index.js';
import { useTestKysely } from '../use-test-kysely.js';
import { explainWithoutSeqScan } from '../explain.js';
import { aNewMessage, anInstanceToSendFrom } from './message-fixtures.js';

let database: TestDatabase;
let repos: Repositories;
let statements: CompiledQuery[] = [];

useTestKysely({ max: 2, onStatement: (statement) => void statements.push(statement) }, (opened) => {
  database = opened.database;
  repos = createKyselyRepositories(opened.db);
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
