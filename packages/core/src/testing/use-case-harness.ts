/*
 * Test support for the use-case tests: every foundation use case wired to in-memory adapters, a fake
 * clock and one authenticator, the way the composition root wires them.
 */
import { isDomainError, CLI_ACTOR, type Principal, type DomainErrorCode } from '../shared/index.js';
import { createApiKeyAuthenticator, createTenancyUseCases } from '../tenancy/index.js';
import type { Repositories } from '../repositories.js';
import { createFakeClock } from './fake-clock.js';
import { createInMemoryUnitOfWork, type InMemoryUnitOfWorkOptions } from './in-memory-unit-of-work.js';
import type { InstanceSessionStopper } from '../instances/index.js';

export const TEST_PEPPER = 'test-pepper-not-a-secret';

export interface HarnessOptions {
  readonly sessions?: InstanceSessionStopper;
  readonly cacheTtlMs?: number;
  readonly createRepositories?: InMemoryUnitOfWorkOptions['createRepositories'];
}

export function createUseCaseHarness(options: HarnessOptions = {}) {
  const clock = createFakeClock();
  const uow = createInMemoryUnitOfWork({ clock, createRepositories: options.createRepositories });
  const repos: Repositories = uow.repos;
  const authenticator = createApiKeyAuthenticator({
    repos,
    clock,
    pepper: TEST_PEPPER,
    cacheTtlMs: options.cacheTtlMs,
  });
  const onRevoked = (keyId: string): void => authenticator.invalidate(keyId);
  const useCases = createTenancyUseCases({
    uow,
    clock,
    pepper: TEST_PEPPER,
    onKeyRevoked: onRevoked,
    sessions: options.sessions,
  });

  /** A customer with an unbound key; returns the principal the authenticator gives for it. */
  async function newTenant(): Promise<{ customerId: string; principal: Principal; key: string }> {
    const customer = await useCases.createCustomer({ name: 'Tenant' }, CLI_ACTOR);
    const { key } = await useCases.createApiKey({ customerId: customer.id }, CLI_ACTOR);
    return { customerId: customer.id, principal: await authenticator.authenticate(key), key };
  }

  /** A key of `owner` bound to `instanceId`, as a principal. */
  async function boundPrincipal(owner: Principal, instanceId: string): Promise<Principal> {
    const { key } = await useCases.createApiKey(owner, { instanceId });
    return authenticator.authenticate(key);
  }

  return { clock, uow, repos, authenticator, ...useCases, newTenant, boundPrincipal };
}

export type UseCaseHarness = ReturnType<typeof createUseCaseHarness>;

/** The DomainError code a promise rejects with, or `resolved`; any other error is rethrown. */
export async function codeOf(promise: Promise<unknown>): Promise<DomainErrorCode | 'resolved'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
}
