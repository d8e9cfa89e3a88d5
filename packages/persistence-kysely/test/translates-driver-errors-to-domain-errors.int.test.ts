import { DomainError, isDomainError, newId } from '@whatisup/core';
import { aCustomer, anInstance, aStoredApiKey, aWebhookDelivery, aWebhookEndpoint } from '@whatisup/core/testing';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyRepositories, type Database } from '../src/index.js';
import { translateDatabaseError } from '../src/translate-database-error.js';
import { useTestKysely } from './use-test-kysely.js';

let db: Kysely<Database>;
useTestKysely({ max: 2 }, (opened) => ({ db } = opened));

const caught = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

describe('driver errors leave the repositories as domain errors', () => {
  it('reports a duplicate instance name as a conflict on the name, without SQL or constraint names', async () => {
    const repos = createKyselyRepositories(db);
    const customer = await repos.customers.create(aCustomer());
    await repos.instances.create(anInstance(customer.id, { name: 'shop' }));

    const error = await caught(repos.instances.create(anInstance(customer.id, { name: 'shop' })));

    expect(isDomainError(error, 'conflict')).toBe(true);
    expect((error as DomainError).details).toEqual({ field: 'name' });
    expect((error as DomainError).message).toBe('An instance with this name already exists.');
  });

  it('never echoes the duplicate value or the statement in a conflict', async () => {
    const repos = createKyselyRepositories(db);
    const customer = await repos.customers.create(aCustomer());
    const key = await repos.apiKeys.create(aStoredApiKey(customer.id));

    const error = await caught(repos.apiKeys.create(aStoredApiKey(customer.id, { prefix: key.prefix })));

    expect(isDomainError(error, 'conflict')).toBe(true);
    expect(JSON.stringify({ message: (error as Error).message, details: (error as DomainError).details })).not.toMatch(
      new RegExp(`${key.prefix}|insert|api_keys|constraint`, 'i'),
    );
  });

  it('reports a second delivery of one event to one endpoint as a conflict naming neither', async () => {
    const repos = createKyselyRepositories(db);
    const customer = await repos.customers.create(aCustomer());
    const endpoint = await repos.webhookEndpoints.create(aWebhookEndpoint(customer.id));
    const first = aWebhookDelivery(customer.id, endpoint.id);
    await repos.webhookDeliveries.createMany([first]);

    const error = await caught(repos.webhookDeliveries.createMany([aWebhookDelivery(customer.id, endpoint.id, { eventId: first.eventId })]));

    expect(isDomainError(error, 'conflict')).toBe(true);
    expect((error as DomainError).message).toBe('This event was already recorded for this endpoint.');
    expect((error as DomainError).message).not.toContain(first.eventId);
  });

  it('reports an attempt for a delivery that does not exist as not_found', async () => {
    const repos = createKyselyRepositories(db);
    const customer = await repos.customers.create(aCustomer());

    const error = await caught(
      repos.webhookDeliveries.appendAttempt({
        id: newId('attempt'),
        deliveryId: newId('delivery'),
        customerId: customer.id,
        attemptNumber: 1,
        startedAt: new Date(),
        durationMs: 5,
        responseStatus: null,
        error: 'timeout',
        responseExcerpt: null,
      }),
    );

    expect(isDomainError(error, 'not_found')).toBe(true);
  });

  it('reports a reference to a customer that does not exist as not_found', async () => {
    const repos = createKyselyRepositories(db);

    const error = await caught(repos.instances.create(anInstance(newId('customer'))));

    expect(isDomainError(error, 'not_found')).toBe(true);
  });

  it('reports a value the schema refuses as invalid_input', async () => {
    const repos = createKyselyRepositories(db);
    const customer = await repos.customers.create(aCustomer());

    const error = await caught(repos.instances.create(anInstance(customer.id, { name: 'x'.repeat(101) })));

    expect(isDomainError(error, 'invalid_input')).toBe(true);
  });
});

describe('values Postgres cannot store', () => {
  it('reports a NUL character in a looked-up id as invalid_input, not a driver error', async () => {
    const repos = createKyselyRepositories(db);
    const customer = await repos.customers.create(aCustomer());

    const error = await caught(repos.instances.findById(customer.id, 'inst_\u0000'));

    expect(isDomainError(error, 'invalid_input')).toBe(true);
  });

  it('reports a \\u0000 escape inside a jsonb value as invalid_input', async () => {
    const repos = createKyselyRepositories(db);
    const customer = await repos.customers.create(aCustomer());

    const error = await caught(repos.instances.create(anInstance(customer.id, { metadata: { note: 'a\u0000b' } })));

    expect(isDomainError(error, 'invalid_input')).toBe(true);
  });
});

describe('translateDatabaseError', () => {
  it('passes errors that are not from the driver through unchanged', () => {
    const plain = new Error('boom');
    const domain = new DomainError('forbidden', 'no');
    expect(translateDatabaseError(plain)).toBe(plain);
    expect(translateDatabaseError(domain)).toBe(domain);
  });

  it('passes driver errors it has no domain meaning for through unchanged', () => {
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    expect(translateDatabaseError(deadlock)).toBe(deadlock);
  });
});
