import { describe, expect, it } from 'vitest';
import { aCustomer } from './fixtures.js';
import { createInMemoryUnitOfWork } from './in-memory-unit-of-work.js';

describe('createInMemoryUnitOfWork', () => {
  it('runs transactions one at a time', async () => {
    const uow = createInMemoryUnitOfWork();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = uow.transaction(async () => {
      order.push('first start');
      await gate;
      order.push('first end');
    });
    const second = uow.transaction(async () => void order.push('second'));
    await Promise.resolve();
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first start', 'first end', 'second']);
  });

  it('keeps a write made outside a transaction when a concurrent transaction rolls back', async () => {
    const uow = createInMemoryUnitOfWork();
    const outside = aCustomer();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = uow.transaction(async (repos) => {
      await repos.customers.create(aCustomer());
      await gate;
      throw new Error('rollback');
    });
    const write = uow.repos.customers.create(outside);
    release();
    await expect(failing).rejects.toThrow('rollback');
    await write;
    expect(await uow.repos.customers.findById(outside.id)).toEqual(outside);
  });

  it('lets work use uow.repos and nested transactions without deadlocking; all roll back together', async () => {
    const uow = createInMemoryUnitOfWork();
    const [a, b] = [aCustomer(), aCustomer()];
    let effectRan = false;
    const result = uow.transaction(async (repos) => {
      await repos.customers.create(a);
      await uow.repos.customers.findById(a.id);
      await uow.transaction(async (inner, tx) => {
        await inner.customers.create(b);
        tx.afterCommit(() => void (effectRan = true));
      });
      throw new Error('outer fails');
    });
    await expect(result).rejects.toThrow('outer fails');
    expect(await uow.repos.customers.findById(b.id)).toBeNull();
    expect(effectRan).toBe(false);
  });

  it('reports a failing effect to onEffectError', async () => {
    const errors: unknown[] = [];
    const uow = createInMemoryUnitOfWork({ onEffectError: (error) => errors.push(error) });
    const failure = new Error('enqueue failed');
    await uow.transaction(async (_repos, tx) => {
      tx.afterCommit(() => {
        throw failure;
      });
    });
    expect(errors).toEqual([failure]);
  });
});
