/*
 * The real app with the session, sandbox, event-token, event-stream and pairing-page routes, over core's
 * in-memory adapters and the real session manager with sandbox instances on tiny timings. Events flow as
 * in production: the transition records them, the recorder publishes after commit, the bus fans out.
 */
import {
  CLI_ACTOR,
  createApiKeyAuthenticator,
  createCreateApiKey,
  createCreateCustomer,
  createCreateInstance,
  createDeleteInstance,
  createGetInstance,
  createInMemorySandboxCredentialStore,
  createInProcessEventBus,
  createListApiKeys,
  createListAuditEvents,
  createListInstances,
  createMintEventToken,
  createRevokeApiKey,
  createSandboxSessionFactory,
  createSessionManager,
  createVerifyEventToken,
  deriveEventTokenKey,
  systemClock,
  type InboundMessage,
  type PublishedEvent,
} from '@whatisup/core';
import { createFakeWhatsAppSessionFactory, createInMemoryEventRecorder, createInMemoryUnitOfWork } from '@whatisup/core/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  buildHttpApp,
  eventStreamRoutes,
  eventTokenRoutes,
  pairingPageRoutes,
  sandboxRoutes,
  sessionRoutes,
  type EventStreamRoutesDeps,
} from '../../src/index.js';

export interface SessionTestOptions {
  readonly autoScanMs?: number | null;
  readonly busCapacity?: number;
  readonly stream?: Partial<Pick<EventStreamRoutesDeps, 'keepaliveMs' | 'maxBufferedBytes' | 'onStreamEnd'>>;
}

export async function buildSessionTestApp(options: SessionTestOptions = {}) {
  const clock = systemClock;
  const uow = createInMemoryUnitOfWork();
  const pepper = 'test-pepper-0123456789abcdef0123456789';
  const authenticator = createApiKeyAuthenticator({ repos: uow.repos, clock, pepper, cacheTtlMs: 0 });
  const createApiKey = createCreateApiKey({ uow, clock, pepper });
  const createCustomer = createCreateCustomer({ uow, clock });
  const bus = createInProcessEventBus(options.busCapacity === undefined ? {} : { capacity: options.busCapacity });
  const recorder = createInMemoryEventRecorder({ bus, clock });
  const whatsapp = createFakeWhatsAppSessionFactory();
  const inbound: InboundMessage[] = [];
  const sessions = createSessionManager({
    uow,
    events: recorder,
    clock,
    factories: {
      whatsapp,
      sandbox: createSandboxSessionFactory({
        credentials: createInMemorySandboxCredentialStore(),
        clock,
        timings: { autoScanMs: options.autoScanMs ?? null, resumeDelayMs: 1, receiptDelayMs: 1 },
      }),
    },
    renderQrPng: async (text) => `data:image/png;base64,${Buffer.from(text).toString('base64')}`,
    maxSessions: 10,
    qrWaitMs: 300,
    resumeIntervalMs: 1,
    onInbound: (_instance, message) => void inbound.push(message),
  });
  const tokenKey = deriveEventTokenKey('server-secret-for-event-tokens-0123456789');
  const verifyEventToken = createVerifyEventToken({ clock, key: tokenKey });
  const getInstance = createGetInstance({ uow });
  const shutdown = new AbortController();
  const lines: string[] = [];

  const app: FastifyInstance = await buildHttpApp({
    useCases: {
      createInstance: createCreateInstance({ uow, clock }),
      listInstances: createListInstances({ uow }),
      getInstance,
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
    routes: [
      ...sessionRoutes({ sessions }),
      ...sandboxRoutes({ sandbox: sessions }),
      ...eventTokenRoutes({ mintEventToken: createMintEventToken({ uow, clock, key: tokenKey }) }),
      ...eventStreamRoutes({ bus, authenticator, verifyEventToken, getInstance, shutdown: shutdown.signal, ...options.stream }),
      ...pairingPageRoutes({ verifyEventToken }),
    ],
  });

  const newKey = async (customerId: string, instanceId?: string) => {
    const { key } = await createApiKey({ customerId, instanceId: instanceId ?? null }, CLI_ACTOR);
    return { key, auth: { authorization: `Bearer ${key}` } };
  };
  const newCustomer = async (name = 'Acme') => {
    const customer = await createCustomer({ name }, CLI_ACTOR);
    return { customerId: customer.id, ...(await newKey(customer.id)) };
  };
  const post = (url: string, auth: Record<string, string>, payload?: object): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url, headers: auth, ...(payload === undefined ? {} : { payload }) });
  const newInstance = async (auth: Record<string, string>, kind: 'sandbox' | 'whatsapp' = 'sandbox', name?: string) =>
    (await post('/v1/instances', auth, { name: name ?? `i-${Math.random().toString(36).slice(2, 10)}`, kind })).json() as {
      id: string;
    };
  const mintToken = async (auth: Record<string, string>, body: object = {}) =>
    (await post('/v1/event-tokens', auth, body)).json() as { token: string; expires_at: string; instance_id: string | null };

  return {
    app,
    bus,
    recorder,
    whatsapp,
    sessions,
    inbound,
    tokenKey,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    rawLogs: () => lines.join(''),
    newCustomer,
    newKey,
    newInstance,
    mintToken,
    post,
    /** Publishes an event on the bus as the recorder would (for stream tests that need exact control). */
    publish: (event: PublishedEvent) => bus.publish(event),
    async close() {
      shutdown.abort();
      await sessions.closeAll();
      await app.close();
    },
  };
}

export type SessionTestApp = Awaited<ReturnType<typeof buildSessionTestApp>>;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}
