import type { Repositories, UnitOfWork } from '../../repositories.js';

/**
 * What a contract suite runs against. `setup` is called once per suite (in `beforeAll`) and `cleanup`
 * after it; tests create their own customers, so they can share one database and never assume it empty.
 * `repos` are the repositories outside a transaction (normally `uow.repos`).
 */
export interface ContractSubject {
  readonly repos: Repositories;
  readonly uow: UnitOfWork;
  readonly cleanup?: (() => Promise<void>) | undefined;
}

export type ContractSetup = () => Promise<ContractSubject>;

/** Registers setup/cleanup hooks and returns an accessor for the subject inside tests. */
export interface SubjectHandle {
  (): ContractSubject;
}
