/*
 * An event that is a change on its own (a message received, a presence, a call) is recorded in one
 * statement: the fan-out to the matching endpoints, with no BEGIN and COMMIT around it.
 */
import { aDomainEvent, webhookEventRecorderSubject, type EventRecorderContractSubject } from '@whatisup/core/testing';
import type { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createKyselyUnitOfWork } from '../../src/index.js';
import { useTestKysely } from '../use-test-kysely.js';
import { aCustomerWithEndpoint } from './customer-with-endpoint.js';

let subject: EventRecorderContractSubject;
let statements: CompiledQuery[] = [];

useTestKysely({ max: 2, onStatement: (statement) => void statements.push(statement) }, (opened) => {
  const uow = createKyselyUnitOfWork(opened.db);
  subject = webhookEventRecorderSubject({ uow, repos: uow.repos, cleanup: async () => {} });
});

/** What went to Postgres: a transaction's begin or commit, or a statement. */
const roundTrips = () => statements.map((statement) => /^\s*(begin|commit)\b/i.exec(statement.sql)?.[1]?.toLowerCase() ?? 'statement');

describe('recording an event on Postgres', () => {
  it('writes an event recorded on its own, and its delivery, in one statement', async () => {
    const { customerId } = await aCustomerWithEndpoint(subject.repos);
    statements = [];
    const envelope = await subject.recorder.recordAlone(subject.uow.repos, aDomainEvent('message.received', { customerId, instanceId: null }));
    expect(roundTrips()).toEqual(['statement']);
    const [delivery] = (await subject.repos.webhookDeliveries.list(customerId, { limit: 10, cursor: null })).data;
    expect(delivery).toMatchObject({ eventId: envelope.event_id, status: 'pending' });
  });

  it('takes three round trips for the same event recorded in a transaction of its own', async () => {
    const { customerId } = await aCustomerWithEndpoint(subject.repos);
    statements = [];
    await subject.uow.transaction((repos, tx) => subject.recorder.record(repos, tx, aDomainEvent('message.received', { customerId, instanceId: null })));
    expect(roundTrips()).toEqual(['begin', 'statement', 'commit']);
  });
});
