import { createHash } from 'node:crypto';
import type { Repositories } from '@whatisup/core';
import type { TestDatabase } from '@whatisup/test-infra';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyRepositories, createKyselyRetentionJob, type Database } from '../../src/index.js';
import { query } from '../query.js';
import { aNewMessage, anInstanceToSendFrom } from './message-fixtures.js';
import { useTestKysely } from '../use-test-kysely.js';

let database: TestDatabase;
let db: Kysely<Database>;
let repos: Repositories;

useTestKysely({ max: 2 }, (opened) => {
  ({ database, db } = opened);
  repos = createKyselyRepositories(db);
});

const DAY = 86_400_000;
const bytes = Buffer.from('a small picture, pretend');
const image = (encoded: string) => ({ type: 'image', media_base64: encoded, mime_type: 'image/png' }) as never;
const claim = (instanceId: string, token: string) =>
  repos.messages.claimNext(instanceId, { now: new Date(Date.now() + 1000), until: new Date(Date.now() + 60_000), token });

describe('inline media after the send', () => {
  it('keeps the bytes while queued and replaces them by their sha256 and size once sent', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    const staged = await repos.messages.stage(aNewMessage(customerId, instanceId, { body: image(bytes.toString('base64')) }));
    if (staged.outcome !== 'staged') throw new Error('not staged');

    const claimed = await claim(instanceId, 't1');
    // The worker still reads the bytes to send them.
    expect(claimed.claimed && claimed.message.body).toMatchObject({ media_base64: bytes.toString('base64') });
    await repos.messages.markSent(staged.message.id, 't1', { whatsappId: 'W1', at: new Date() });

    const sent = await repos.messages.findById(customerId, staged.message.id);
    expect(sent?.body).toEqual({
      type: 'image',
      mime_type: 'image/png',
      media_sha256: createHash('sha256').update(bytes).digest('hex'),
      media_size: bytes.length,
    });
  });

  it('drops URL-safe unpadded bytes of a failed message too', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    const odd = Buffer.from([0xfb, 0xff, 0xfe, 0x01]);
    const staged = await repos.messages.stage(aNewMessage(customerId, instanceId, { body: image(odd.toString('base64url')) }));
    if (staged.outcome !== 'staged') throw new Error('not staged');
    await claim(instanceId, 't2');

    await repos.messages.markFailed(staged.message.id, 't2', { error: { code: 'rejected', message: 'no' }, at: new Date() });

    const failed = await repos.messages.findById(customerId, staged.message.id);
    expect(failed?.body).toMatchObject({ media_sha256: createHash('sha256').update(odd).digest('hex'), media_size: 4 });
    expect(failed?.body).not.toHaveProperty('media_base64');
  });
});

describe('message retention', () => {
  it('deletes finished messages past their retention with their history, keeping queued and recent ones', async () => {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const staged = await repos.messages.stage(aNewMessage(customerId, instanceId));
      if (staged.outcome !== 'staged') throw new Error('not staged');
      ids.push(staged.message.id);
    }
    const [old, recent, queued] = ids as [string, string, string];
    await query(database.url, "UPDATE messages SET status = 'read', whatsapp_id = id, updated_at = $2 WHERE id = $1", [old, new Date(Date.now() - 31 * DAY)]);
    await query(database.url, "UPDATE messages SET status = 'sent', whatsapp_id = id, updated_at = $2 WHERE id = $1", [recent, new Date(Date.now() - 29 * DAY)]);
    await query(database.url, 'UPDATE messages SET updated_at = $2 WHERE id = $1', [queued, new Date(Date.now() - 90 * DAY)]);
    const job = createKyselyRetentionJob(db, { clock: { now: () => new Date() }, messageRetentionDays: 30 });

    const report = await job();

    expect(report?.messages).toBe(1);
    const left = await query<{ id: string }>(database.url, 'SELECT id FROM messages WHERE instance_id = $1 ORDER BY id', [instanceId]);
    expect(left.map((row) => row.id)).toEqual([recent, queued].sort());
    expect(await query(database.url, 'SELECT 1 FROM message_status_history WHERE message_id = $1', [old])).toEqual([]);
  });
});
