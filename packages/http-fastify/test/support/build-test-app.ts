/*
 * The real app over core's in-memory adapters and real use cases: what an integrator sees over HTTP,
 * without a database. Logs are captured so tests can read them.
 */
import {
  CLI_ACTOR,
  createApiKeyAuthenticator,
  createCreateApiKey,
  createCreateCustomer,
  createCreateInstance,
  createDeleteInstance,
  createGetInstance,
  createListApiKeys,
  createListAuditEvents,
  createListInstances,
  createRevokeApiKey,
  systemClock,
} from '@whatisup/core';
import { createInMemoryUnitOfWork } from '@whatisup/core/testing';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../src/index.js';
import type { HttpAppDeps } from '../../src/index.js';

export interface TestApp {
  readonly app: FastifyInstance;
  /** Every log line written so far, parsed. */
  readonly logs: () => Array<Record<string, unknown>>;
  /** Creates a customer with one unbound key (through the operator path) and returns its bearer header. */
  readonly newCustomer: (name?: string) => Promise<{ customerId: string; key: string; auth: { authorization: string } }>;
  /** Creates a key for `customerId`, optionally bound to an instance. */
  readonly newKey: (customerId: string, instanceId?: string) => Promise<{ key: string; auth: { authorization: string } }>;
}

export async function buildTestApp(overrides: Partial<HttpAppDeps> = {}): Promise<TestApp> {
  const uow = createInMemoryUnitOfWork();
  const clock = systemClock;
  const pepper = 'test-pepper-0123456789abcdef0123456789';
  const authenticator = createApiKeyAuthenticator({ repos: uow.repos, clock, pepper, cacheTtlMs: 0 });
  const createApiKey = createCreateApiKey({ uow, clock, pepper });
  const createCustomer = createCreateCustomer({ uow, clock });
  const lines: string[] = [];
  const app = await buildHttpApp({
    useCases: {
      createInstance: createCreateInstance({ uow, clock }),
      listInstances: createListInstances({ uow }),
      getInstance: createGetInstance({ uow }),
      deleteInstance: createDeleteInstance({ uow, clock, onKeyRevoked: (id) => authenticator.invalidate(id) }),
      createApiKey,
      listApiKeys: createListApiKeys({ uow }),
      revokeApiKey: createRevokeApiKey({ uow, clock, onRevoked: (id) => authenticator.invalidate(id) }),
      listAuditEvents: createListAuditEvents({ uow }),
    },
    authenticator,
    logger: { level: 'debug', stream: { write: (line) => void lines.push(line) } },
    info: { title: 'WhatIsUp', version: '0.0.0-test' },
    validateResponses: true,
    ...overrides,
  });

  const newKey: TestApp['newKey'] = async (customerId, instanceId) => {
    const { key } = await createApiKey({ customerId, instanceId: instanceId ?? null }, CLI_ACTOR);
    return { key, auth: { authorization: `Bearer ${key}` } };
  };

  return {
    app,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    newCustomer: async (name = 'Acme') => {
      const customer = await createCustomer({ name }, CLI_ACTOR);
      return { customerId: customer.id, ...(await newKey(customer.id)) };
    },
    newKey,
  };
}
