import { aCustomer } from '@whatisup/core/testing';
import type { TransactionContext } from '@whatisup/core';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { createKyselyUnitOfWork, type Database } from '../src/index.js';
import { useTestKysely } from './use-test-kysely.js';

let db: Kysely<Database>;
useTestKysely({ max: 2 }, (opened) => ({ db } = opened));

it('hands a failing afterCommit effect to onEffectError and keeps the commit', async () => {
  const reported: unknown[] = [];
  const uow = createKyselyUnitOfWork(db, { onEffectError: (error) => reported.push(error) });
  const failure = new Error('queue unreachable');
  const customer = aCustomer();

  await uow.transaction(async (repos, tx) => {
    await repos.customers.create(customer);
    tx.afterCommit(() => Promise.reject(failure));
  });

  expect(reported).toEqual([failure]);
  expect(await uow.repos.customers.findById(customer.id)).toEqual(customer);
});

it('refuses an afterCommit registered once the transaction is over', async () => {
  const uow = createKyselyUnitOfWork(db);
  let leaked: TransactionContext | undefined;
  await uow.transaction(async (_repos, tx) => {
    leaked = tx;
  });

  expect(() => leaked?.afterCommit(() => undefined)).toThrow(/after its transaction ended/);
});
