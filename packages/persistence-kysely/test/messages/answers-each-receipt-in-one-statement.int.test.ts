/*
 * A receipt costs one statement whatever it finds: a message it moves, one already there or further (most
 * receipts in a group, or from a recipient with several devices), or no message at all.
 */
import type { Repositories } from '@whatisup/core';
import type { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyRepositories } from '../../src/index.js';
import { useTestKysely } from '../use-test-kysely.js';
import { aNewMessage, anInstanceToSendFrom } from './message-fixtures.js';

let repos: Repositories;
let statements: CompiledQuery[] = [];

useTestKysely({ max: 2, onStatement: (statement) => void statements.push(statement) }, (opened) => {
  repos = createKyselyRepositories(opened.db);
});

/** A message of a fresh instance that WhatsApp accepted as `whatsappId`. */
async function aSentMessage(whatsappId: string): Promise<{ customerId: string; instanceId: string; id: string }> {
  const { customerId, instanceId } = await anInstanceToSendFrom(repos);
  const staged = await repos.messages.stage(aNewMessage(customerId, instanceId));
  if (staged.outcome !== 'staged') throw new Error(`the message was not staged: ${staged.outcome}`);
  const claim = await repos.messages.claimNext(instanceId, { now: new Date(), until: new Date(Date.now() + 60_000), token: 't' });
  expect(claim.claimed).toBe(true);
  expect(await repos.messages.markSent(staged.message.id, 't', { whatsappId, at: new Date() })).toMatchObject({ status: 'sent' });
  return { customerId, instanceId, id: staged.message.id };
}

const receipt = (status: 'delivered' | 'read', participant: string | null = null) => ({ status, at: new Date(), participant });

describe('a receipt on Postgres', () => {
  it('moves a message in one statement', async () => {
    const { instanceId, id } = await aSentMessage('WA-ONE-1');
    statements = [];
    expect(await repos.messages.markStatus(instanceId, 'WA-ONE-1', receipt('delivered'))).toMatchObject({ advanced: true, message: { id, status: 'delivered' } });
    expect(statements).toHaveLength(1);
  });

  it('answers a receipt that moves nothing with the message as it is, in one statement', async () => {
    const { customerId, instanceId, id } = await aSentMessage('WA-ONE-2');
    await repos.messages.markStatus(instanceId, 'WA-ONE-2', receipt('read', 'p1'));
    statements = [];
    expect(await repos.messages.markStatus(instanceId, 'WA-ONE-2', receipt('delivered', 'p2'))).toEqual({
      message: expect.objectContaining({ id, status: 'read' }),
      advanced: false,
      deliveries: [],
    });
    expect(await repos.messages.markStatus(instanceId, 'WA-ONE-2', receipt('read', 'p3'))).toMatchObject({ advanced: false, message: { id, status: 'read' } });
    expect(statements).toHaveLength(2);
    const history = await repos.messages.history(customerId, id);
    expect(history.map((entry) => entry.status)).toEqual(['queued', 'sent', 'read']);
  });

  it('answers a receipt for no known message with null, in one statement', async () => {
    const { instanceId } = await aSentMessage('WA-ONE-3');
    const another = await anInstanceToSendFrom(repos);
    statements = [];
    expect(await repos.messages.markStatus(instanceId, 'WA-NOBODY', receipt('delivered'))).toBeNull();
    expect(await repos.messages.markStatus(another.instanceId, 'WA-ONE-3', receipt('delivered'))).toBeNull();
    expect(statements).toHaveLength(2);
  });
});
