import type { Repositories } from '@whatisup/core';
import { aCustomer, anInstance } from '@whatisup/core/testing';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyRepositories, createKyselyRetentionJob, type Database } from '../../src/index.js';
import { useTestKysely } from '../use-test-kysely.js';

let db: Kysely<Database>;
let repos: Repositories;

useTestKysely({ max: 2 }, (opened) => {
  ({ db } = opened);
  repos = createKyselyRepositories(db);
});

const DAY = 86_400_000;

describe('chat retention', () => {
  it('drops chats idle past CHAT_RETENTION_DAYS and every chat of a deleted instance, keeping the rest', async () => {
    const now = new Date();
    const customer = await repos.customers.create(aCustomer());
    const live = await repos.instances.create(anInstance(customer.id, { status: 'connected' }));
    const deleted = await repos.instances.create(anInstance(customer.id, { status: 'connected' }));
    const key = (instanceId: string, chatId: string) => ({ customerId: customer.id, instanceId, chatId });
    await repos.chats.touch(key(live.id, '491510000001@s.whatsapp.net'), { at: new Date(now.getTime() - 10 * DAY), inbound: true });
    await repos.chats.touch(key(live.id, '491510000002@s.whatsapp.net'), { at: new Date(now.getTime() - 200 * DAY), inbound: true });
    await repos.chats.touch(key(deleted.id, '491510000003@s.whatsapp.net'), { at: now, inbound: true });
    await repos.instances.softDelete(customer.id, deleted.id, now);

    const report = await createKyselyRetentionJob(db, { clock: { now: () => now }, chatRetentionDays: 180 })();

    expect(report?.chats).toBe(2);
    const left = await repos.chats.list(customer.id, live.id, { limit: 10 });
    expect(left.data.map((chat) => chat.chatId)).toEqual(['491510000001@s.whatsapp.net']);
    expect(await repos.chats.find(key(deleted.id, '491510000003@s.whatsapp.net'))).toBeNull();
  });

  it('refuses a chat retention that is not a positive number of days', () => {
    expect(() => createKyselyRetentionJob(db, { clock: { now: () => new Date() }, chatRetentionDays: 0 })).toThrow(RangeError);
  });
});
