/*
 * The foundation every entry point shares: the database pool, the unit of work, the API-key authenticator
 * and the foundation use cases. Entry points (server, worker, CLI) add what they need on top and close
 * what they opened in reverse order.
 */
import {
  createApiKeyAuthenticator,
  createCreateApiKey,
  createCreateCustomer,
  createCreateInstance,
  createDeleteInstance,
  createGetInstance,
  createListApiKeys,
  createListAuditEvents,
  createListCustomers,
  createListInstances,
  createRevokeApiKey,
  systemClock,
  type ApiKeyAuthenticator,
  type Clock,
  type UnitOfWork,
} from '@whatisup/core';
import { createKyselyDatabase, createKyselyUnitOfWork } from '@whatisup/persistence-kysely';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';

export function createFoundation(config: Config, logger: Logger, clock: Clock = systemClock) {
  const db = createKyselyDatabase(config.databaseUrl.reveal(), {
    onIdleError: (error) => logger.warn({ err: error }, 'idle Postgres connection failed; the pool replaces it'),
  });
  const uow: UnitOfWork = createKyselyUnitOfWork(db, {
    clock,
    onEffectError: (error) => logger.error({ err: error }, 'an after-commit effect failed; the sweeper re-drives it'),
  });
  const pepper = config.apiKeyPepper.reveal();
  const authenticator: ApiKeyAuthenticator = createApiKeyAuthenticator({
    repos: uow.repos,
    clock,
    pepper,
    cacheTtlMs: config.http.apiKeyCacheTtlMs,
  });
  const onRevoked = (keyId: string) => authenticator.invalidate(keyId);
  const useCases = {
    createCustomer: createCreateCustomer({ uow, clock }),
    listCustomers: createListCustomers({ uow }),
    createApiKey: createCreateApiKey({ uow, clock, pepper }),
    listApiKeys: createListApiKeys({ uow }),
    revokeApiKey: createRevokeApiKey({ uow, clock, onRevoked }),
    createInstance: createCreateInstance({ uow, clock }),
    listInstances: createListInstances({ uow }),
    getInstance: createGetInstance({ uow }),
    deleteInstance: createDeleteInstance({ uow, clock, onKeyRevoked: onRevoked }),
    listAuditEvents: createListAuditEvents({ uow }),
  };
  return {
    db,
    uow,
    clock,
    authenticator,
    useCases,
    async close(): Promise<void> {
      await authenticator.flushLastUsed().catch((error) => logger.warn({ err: error }, 'could not record key use'));
      await db.destroy();
    },
  };
}

export type Foundation = ReturnType<typeof createFoundation>;
