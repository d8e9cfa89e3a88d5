/*
 * The foundation every role shares: the database pool, the unit of work, the clock, and the leader lock
 * that lets one process at a time run each periodic job (sweepers, retention) every process schedules. Features are built
 * on top of it (tenancy, webhooks, messages, sessions) and close before it, in reverse order.
 */
import { systemClock, type Clock, type UnitOfWork } from '@whatisup/core';
import { createKyselyDatabase, createKyselyLeaderLock, createKyselyUnitOfWork, type PoolStats } from '@whatisup/persistence-kysely';
import type { Logger } from 'pino';
import type { CommonConfig } from '../config/common-config.js';

export interface FoundationOptions {
  readonly clock?: Clock;
  /**
   * After-commit failures that are expected for a while and recovered by the sweepers (a wake-up lost to a
   * Redis outage, which the queue logs once per outage): logged at debug, not once per request. The roles
   * pass the queue adapter's check; the CLI, which enqueues nothing, passes none.
   */
  readonly isExpectedEffectError?: (error: unknown) => boolean;
}

export function createFoundation(config: Pick<CommonConfig, 'databaseUrl' | 'databaseAppRole' | 'databasePoolSize'>, logger: Logger, options: FoundationOptions = {}) {
  const clock = options.clock ?? systemClock;
  let poolStats: () => PoolStats = () => ({ total: 0, idle: 0, waiting: 0 });
  const db = createKyselyDatabase(config.databaseUrl.reveal(), {
    onPool: (read) => (poolStats = read),
    max: config.databasePoolSize,
    ...(config.databaseAppRole !== null && { role: config.databaseAppRole }),
    onIdleError: (error) => logger.warn({ err: error }, 'idle Postgres connection failed; the pool replaces it'),
  });
  const uow: UnitOfWork = createKyselyUnitOfWork(db, {
    clock,
    onEffectError: (error) => {
      if (options.isExpectedEffectError?.(error)) logger.debug({ err: error }, 'an after-commit effect was skipped; the sweeper re-drives it');
      else logger.error({ err: error }, 'an after-commit effect failed; the sweeper re-drives it');
    },
  });
  return {
    db,
    uow,
    clock,
    leader: createKyselyLeaderLock(db),
    /** The Postgres pool's counts now (metrics). */
    poolStats: () => poolStats(),
    /** True when Postgres answers within `timeoutMs`; never throws (readiness). */
    async ping(timeoutMs = 2_000): Promise<boolean> {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const answered = uow.repos.customers.any().then(() => true, () => false);
      try {
        return await Promise.race([answered, expired]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => db.destroy(),
  };
}

export type Foundation = ReturnType<typeof createFoundation>;
