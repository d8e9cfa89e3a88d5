import type { Repositories } from '@whatisup/core';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyRepositories, createKyselyRetentionJob, type Database } from '../src/index.js';
import { anInstanceToSendFrom } from './messages/message-fixtures.js';
import { useTestKysely } from './use-test-kysely.js';

let db: Kysely<Database>;
let repos: Repositories;

useTestKysely({ max: 2 }, (opened) => {
  ({ db } = opened);
  repos = createKyselyRepositories(db);
});

const DAY = 86_400_000;

describe('retention of group creation keys', () => {
  it('deletes the Idempotency-Keys of group creations older than the message retention, and keeps newer ones', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    const claim = (key: string, ageDays: number) => {
      const createdAt = new Date(Date.now() - ageDays * DAY);
      return repos.groupCreations.claim({ customerId, instanceId, idempotencyKey: key, requestHash: 'h', createdAt, expiresAt: new Date(createdAt.getTime() + 30_000) });
    };
    await claim('old', 31);
    await claim('new', 1);
    await createKyselyRetentionJob(db, { clock: { now: () => new Date() }, messageRetentionDays: 30 })();
    const keys = await db.selectFrom('group_creations').select('idempotency_key').where('customer_id', '=', customerId).execute();
    expect(keys.map((k) => k.idempotency_key)).toEqual(['new']);
  });
});
