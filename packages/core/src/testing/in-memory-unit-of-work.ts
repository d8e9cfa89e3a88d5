/*
 * Transactions over the in-memory state, with the semantics the Postgres unit of work has:
 * - one transaction at a time (a mutex), so concurrent use cases see serializable behaviour;
 * - a thrown error restores the snapshot taken at the start, so nothing the work wrote survives, and is
 *   rethrown unchanged;
 * - afterCommit effects run after the commit (and after the mutex is released, so they may start
 *   transactions of their own), in order; a failing effect goes to `onEffectError` and does not fail
 *   the caller.
 * `uow.repos` (outside a transaction) takes the mutex per call, so a single statement never lands in the
 * middle of a transaction that later rolls back. Called from inside a transaction's work it runs directly
 * (Postgres would run it on another connection; here that would deadlock). A nested `transaction` joins
 * the outer one: its writes and effects commit or roll back with it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock, TransactionContext } from '../shared/index.js';
import type { Repositories, UnitOfWork } from '../repositories.js';
import { createAsyncMutex } from './async-mutex.js';
import { createInMemoryRepositories } from './in-memory-repositories.js';
import { createInMemoryState, restoreState, snapshotState, type InMemoryState } from './in-memory-state.js';

type Effect = () => Promise<void> | void;

export interface InMemoryUnitOfWorkOptions {
  /** Share a state between units of work, or inspect it in tests; default a fresh one. */
  readonly state?: InMemoryState | undefined;
  /** The audit log's default `occurredAt`; default the system clock. */
  readonly clock?: Clock | undefined;
  /** Receives errors thrown by afterCommit effects; default: ignored. */
  readonly onEffectError?: ((error: unknown) => void) | undefined;
  /** Builds the repositories over the state; a test passes one to wrap or replace a repository. */
  readonly createRepositories?: ((state: InMemoryState, clock?: Clock) => Repositories) | undefined;
}

export interface InMemoryUnitOfWork extends UnitOfWork {
  readonly state: InMemoryState;
}

function lockRepositories(repos: Repositories, guard: <T>(call: () => Promise<T>) => Promise<T>): Repositories {
  const locked: Record<string, Record<string, unknown>> = {};
  for (const [name, repo] of Object.entries(repos) as [string, Record<string, unknown>][]) {
    locked[name] = Object.fromEntries(
      Object.entries(repo).map(([method, fn]) => [
        method,
        typeof fn === 'function' ? (...args: unknown[]) => guard(() => fn.apply(repo, args)) : fn,
      ]),
    );
  }
  return locked as unknown as Repositories;
}

export function createInMemoryUnitOfWork(options: InMemoryUnitOfWorkOptions = {}): InMemoryUnitOfWork {
  const state = options.state ?? createInMemoryState();
  const build = options.createRepositories ?? createInMemoryRepositories;
  const raw = build(state, options.clock);
  const mutex = createAsyncMutex();
  const current = new AsyncLocalStorage<Effect[]>();

  const guard = <T>(call: () => Promise<T>): Promise<T> =>
    current.getStore() !== undefined ? call() : mutex.run(call);

  async function runEffects(effects: Effect[]): Promise<void> {
    for (const effect of effects) {
      try {
        await effect();
      } catch (error) {
        options.onEffectError?.(error);
      }
    }
  }

  return {
    state,
    repos: lockRepositories(raw, guard),
    async transaction(work) {
      const outer = current.getStore();
      if (outer !== undefined) {
        return work(raw, { afterCommit: (effect) => void outer.push(effect) });
      }
      const effects: Effect[] = [];
      const tx: TransactionContext = { afterCommit: (effect) => void effects.push(effect) };
      const result = await mutex.run(async () => {
        const snapshot = snapshotState(state);
        try {
          return await current.run(effects, () => work(raw, tx));
        } catch (error) {
          restoreState(state, snapshot);
          effects.length = 0;
          throw error;
        }
      });
      await runEffects(effects);
      return result;
    },
  };
}
