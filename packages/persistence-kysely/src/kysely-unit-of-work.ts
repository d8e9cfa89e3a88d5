/*
 * Transactions for the use cases. `work` gets repositories bound to one transaction (one pooled
 * connection), so a state change and what records it commit together. Effects registered with
 * afterCommit (enqueue a job, notify a stream) run after COMMIT returns, in registration order, each
 * awaited before the next; a failing effect is reported and swallowed, because the transaction already
 * committed and the sweepers re-drive whatever the effect meant to do from the database.
 */
import type { Repositories, TransactionContext, UnitOfWork } from '@whatisup/core';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { createKyselyRepositories, type KyselyRepositoriesOptions } from './kysely-repositories.js';

export interface KyselyUnitOfWorkOptions extends KyselyRepositoriesOptions {
  /** Told about every afterCommit effect that threw; the caller's result is unaffected. */
  readonly onEffectError?: (error: unknown) => void;
}

type Effect = () => Promise<void> | void;

export function createKyselyUnitOfWork(db: Kysely<Database>, options: KyselyUnitOfWorkOptions = {}): UnitOfWork {
  const { onEffectError: _onEffectError, ...repoOptions } = options;
  return {
    repos: createKyselyRepositories(db, repoOptions),
    async transaction<T>(work: (repos: Repositories, tx: TransactionContext) => Promise<T>): Promise<T> {
      const effects: Effect[] = [];
      let open = true;
      const context: TransactionContext = {
        afterCommit(effect) {
          if (!open) throw new Error('afterCommit was called after its transaction ended.');
          effects.push(effect);
        },
      };
      let result: T;
      try {
        result = await db.transaction().execute((trx) => work(createKyselyRepositories(trx, repoOptions), context));
      } finally {
        open = false;
      }
      for (const effect of effects) {
        try {
          await effect();
        } catch (error) {
          options.onEffectError?.(error);
        }
      }
      return result;
    },
  };
}
