import type { Repositories } from '@whatisup/core';
import { aWebhookDelivery } from '@whatisup/core/testing';
import type { TestDatabase } from '@whatisup/test-infra';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyRepositories, type Database } from '../src/index.js';
import { aNewMessage, anInstanceToSendFrom } from './messages/message-fixtures.js';
import { query } from './query.js';
import { aCustomerWithEndpoint } from './webhooks/customer-with-endpoint.js';
import { useTestKysely } from './use-test-kysely.js';

let database: TestDatabase;
let db: Kysely<Database>;
let repos: Repositories;

useTestKysely({ max: 2 }, (opened) => {
  ({ database, db } = opened);
  repos = createKyselyRepositories(db);
});

/** The constraint a statement broke (its SQLSTATE and name), or null when it went through. */
async function broken(text: string, params: unknown[]): Promise<{ code: string; constraint: string } | null> {
  try {
    await query(database.url, text, params);
    return null;
  } catch (error) {
    const { code, constraint } = error as { code: string; constraint: string };
    return { code, constraint };
  }
}

describe('webhook delivery constraints', () => {
  it('refuses an active delivery without a next attempt time', async () => {
    const { customerId, endpointId } = await aCustomerWithEndpoint(repos);
    const delivery = aWebhookDelivery(customerId, endpointId, { status: 'retrying' });
    await repos.webhookDeliveries.createMany([delivery]);

    expect(await broken('UPDATE webhook_deliveries SET next_attempt_at = NULL WHERE id = $1', [delivery.id])).toEqual({
      code: '23514',
      constraint: 'webhook_deliveries_active_is_scheduled',
    });
    expect(await broken("UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE id = $1", [delivery.id])).toBeNull();
  });

  it('refuses half a claim', async () => {
    const { customerId, endpointId } = await aCustomerWithEndpoint(repos);
    const delivery = aWebhookDelivery(customerId, endpointId);
    await repos.webhookDeliveries.createMany([delivery]);

    expect(await broken("UPDATE webhook_deliveries SET claim_token = 't' WHERE id = $1", [delivery.id])).toEqual({
      code: '23514',
      constraint: 'webhook_deliveries_claim_pair',
    });
    expect(await broken('UPDATE webhook_deliveries SET claimed_until = now() WHERE id = $1', [delivery.id])).toMatchObject({
      constraint: 'webhook_deliveries_claim_pair',
    });
    expect(await broken("UPDATE webhook_deliveries SET claimed_until = now(), claim_token = 't' WHERE id = $1", [delivery.id])).toBeNull();
  });
});

describe('message constraints', () => {
  async function aQueuedMessage() {
    const { customerId, instanceId } = await anInstanceToSendFrom(repos);
    const staged = await repos.messages.stage(aNewMessage(customerId, instanceId));
    if (staged.outcome !== 'staged') throw new Error('not staged');
    return { ...staged.message, instanceId };
  }

  it('refuses half a claim', async () => {
    const message = await aQueuedMessage();

    expect(await broken("UPDATE messages SET claim_token = 't' WHERE id = $1", [message.id])).toEqual({
      code: '23514',
      constraint: 'messages_claim_pair',
    });
    expect(await broken('UPDATE messages SET claimed_until = now() WHERE id = $1', [message.id])).toMatchObject({
      constraint: 'messages_claim_pair',
    });
  });

  it('refuses a sent message without a WhatsApp id', async () => {
    const message = await aQueuedMessage();

    expect(await broken("UPDATE messages SET status = 'sent' WHERE id = $1", [message.id])).toEqual({
      code: '23514',
      constraint: 'messages_sent_has_whatsapp_id',
    });
    expect(await broken("UPDATE messages SET status = 'sent', whatsapp_id = 'W1' WHERE id = $1", [message.id])).toBeNull();
    expect(await broken('UPDATE messages SET whatsapp_id = NULL WHERE id = $1', [message.id])).toMatchObject({
      constraint: 'messages_sent_has_whatsapp_id',
    });
  });

  it('refuses a failed message without an error code', async () => {
    const message = await aQueuedMessage();

    expect(await broken("UPDATE messages SET status = 'failed' WHERE id = $1", [message.id])).toEqual({
      code: '23514',
      constraint: 'messages_failed_has_error_code',
    });
    expect(await broken("UPDATE messages SET status = 'failed', error_code = 'rejected' WHERE id = $1", [message.id])).toBeNull();
  });

  it('refuses a WhatsApp id twice in one instance, and allows it in another', async () => {
    const first = await aQueuedMessage();
    const second = await repos.messages.stage(aNewMessage(first.customerId, first.instanceId));
    const elsewhere = await aQueuedMessage();
    if (second.outcome !== 'staged') throw new Error('not staged');
    await query(database.url, "UPDATE messages SET whatsapp_id = 'W9' WHERE id = $1", [first.id]);

    expect(await broken("UPDATE messages SET whatsapp_id = 'W9' WHERE id = $1", [second.message.id])).toEqual({
      code: '23505',
      constraint: 'messages_instance_whatsapp_id',
    });
    expect(await broken("UPDATE messages SET whatsapp_id = 'W9' WHERE id = $1", [elsewhere.id])).toBeNull();
  });
});
