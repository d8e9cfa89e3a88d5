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
  type InstanceSessionStopper,
  type UnitOfWork,
} from '@whatisup/core';
import { createKyselyDatabase, createKyselyUnitOfWork } from '@whatisup/persistence-kysely';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';

export function createFoundation(config: Config, logger: Logger, clock: Clock = systemClock) {
  const db = createKyselyDatabase(config.databaseUrl.reveal(), {
    ...(config.databaseAppRole !== null && { role: config.databaseAppRole }),
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
  // The session manager is built after the foundation (it needs the event recorder); deleting an instance
  // stops its session through it once attached. In a worker-only process no session runs here.
  let sessions: InstanceSessionStopper | null = null;
  const sessionStopper: InstanceSessionStopper = { stop: (id, opts) => sessions?.stop(id, opts) ?? Promise.resolve() };
  const useCases = {
    createCustomer: createCreateCustomer({ uow, clock }),
    listCustomers: createListCustomers({ uow }),
    createApiKey: createCreateApiKey({ uow, clock, pepper }),
    listApiKeys: createListApiKeys({ uow }),
    revokeApiKey: createRevokeApiKey({ uow, clock, onRevoked }),
    createInstance: createCreateInstance({ uow, clock }),
    listInstances: createListInstances({ uow }),
    getInstance: createGetInstance({ uow }),
    deleteInstance: createDeleteInstance({ uow, clock, onKeyRevoked: onRevoked, sessions: sessionStopper }),
    listAuditEvents: createListAuditEvents({ uow }),
  };
  return {
    db,
    uow,
    clock,
    authenticator,
    useCases,
    attachSessions(manager: InstanceSessionStopper): void {
      sessions = manager;
    },
    async close(): Promise<void> {
      await authenticator.flushLastUsed().catch((error) => logger.warn({ err: error }, 'could not record key use'));
      await db.destroy();
    },
  };
}

export type Foundation = ReturnType<typeof createFoundation>;
