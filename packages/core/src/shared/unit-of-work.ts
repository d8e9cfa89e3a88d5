/**
 * Repositories bound to one connection or transaction. Each feature names the repositories its use cases
 * need (`UnitOfWork<InstanceRepositories>`); an adapter implements the whole set (`Repositories` in the
 * package root), so that a state change and what it records (audit row, webhook deliveries) commit together.
 */
export interface UnitOfWork<R extends object> {
  /** Repositories outside any transaction (single statements). */
  readonly repos: R;
  /**
   * Runs `work` in one transaction: everything it writes commits together or not at all. A thrown error
   * rolls back and is rethrown unchanged. Work registered with `afterCommit` runs only after a commit.
   */
  transaction<T>(work: (repos: R, tx: TransactionContext) => Promise<T>): Promise<T>;
}

export interface TransactionContext {
  /**
   * Runs `effect` after the transaction commits (e.g. enqueue a job); never on rollback. Effects run in
   * order; one that fails is reported to the unit of work's error hook and does not fail the caller: what
   * it meant to do must be recoverable from the database (the sweepers re-drive it).
   */
  afterCommit(effect: () => Promise<void> | void): void;
}
