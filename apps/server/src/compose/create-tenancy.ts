/*
 * Tenancy: customers, API keys, instances and the audit trail, and the API-key authenticator. Only roles
 * that authenticate (the API, the CLI) build it; it is the one feature that needs API_KEY_PEPPER.
 * Deleting an instance stops its session, so the session manager is built first and passed in.
 */
import {
  createApiKeyAuthenticator,
  createTenancyUseCases,
  type ApiKeyAuthenticator,
  type Clock,
  type InstanceSessionStopper,
  type UnitOfWork,
} from '@whatisup/core';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';

export interface TenancyDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  /** Stops an instance's session when it is deleted (the CLI, which runs none, passes NO_SESSIONS). */
  readonly sessions: InstanceSessionStopper;
}

/** For processes that run no session (the CLI). */
export const NO_SESSIONS: InstanceSessionStopper = { stop: async () => undefined };

const LAST_USED_FLUSH_MS = 10_000;

export function createTenancy(config: Pick<Config, 'apiKeyPepper' | 'http'>, logger: Logger, deps: TenancyDeps) {
  const { uow, clock, sessions } = deps;
  const pepper = config.apiKeyPepper.reveal();
  const authenticator: ApiKeyAuthenticator = createApiKeyAuthenticator({
    repos: uow.repos,
    clock,
    pepper,
    cacheTtlMs: config.http.apiKeyCacheTtlMs,
    unknownPrefixTtlMs: config.http.unknownKeyCacheTtlMs,
  });
  const onRevoked = (keyId: string) => authenticator.invalidate(keyId);
  const useCases = createTenancyUseCases({ uow, clock, pepper, onKeyRevoked: onRevoked, sessions });
  const flushLastUsed = () =>
    authenticator.flushLastUsed().catch((error) => logger.warn({ err: error }, 'could not record key use'));
  return {
    authenticator,
    useCases,
    /** Records API-key use every few seconds (batched); returns the stop function, which flushes once more. */
    startLastUsedFlush(): () => Promise<void> {
      const timer = setInterval(() => void flushLastUsed(), LAST_USED_FLUSH_MS);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await flushLastUsed();
      };
    },
    close: flushLastUsed,
  };
}

export type Tenancy = ReturnType<typeof createTenancy>;
