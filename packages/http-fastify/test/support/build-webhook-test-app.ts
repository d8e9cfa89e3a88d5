/*
 * The real app with the webhook route groups over core's in-memory adapters and real use cases, a fake
 * clock, a real secret box, and a worker the test drives by hand (`deliverQueued`), so deliveries get real
 * attempts without timers. Outbound HTTP is a tiny fake: `checkUrl` refuses private-looking hosts the way
 * the real client does (422 `unsafe_url` with a reason), and requests are answered from a script.
 */
import {
  CLI_ACTOR,
  DomainError,
  createApiKeyAuthenticator,
  createCreateApiKey,
  createCreateCustomer,
  createCreateInstance,
  createCreateWebhookEndpoint,
  createDeleteInstance,
  createDeleteWebhookEndpoint,
  createEventRecorder,
  createGetInstance,
  createGetWebhookDelivery,
  createGetWebhookEndpoint,
  createInProcessEventBus,
  createListApiKeys,
  createListAuditEvents,
  createListInstances,
  createListWebhookDeliveries,
  createListWebhookEndpoints,
  createProcessDelivery,
  createRecoverWebhookDeliveries,
  createReplayWebhookDelivery,
  createRetryPolicy,
  createRevokeApiKey,
  createRotateWebhookSecret,
  createSecretBox,
  createSendTestWebhook,
  createUpdateWebhookEndpoint,
  generateSecretsKey,
  parseSecretsKey,
  type CheckedUrl,
  type EventName,
  type OutboundHttp,
} from '@whatisup/core';
import {
  createFakeClock,
  createInMemoryHostGate,
  createInMemoryUnitOfWork,
  createInMemoryWebhookReceiver,
  type FakeClock,
  type InMemoryUnitOfWork,
  type InMemoryWebhookReceiver,
} from '@whatisup/core/testing';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp, webhookDeliveryRoutes, webhookEndpointRoutes } from '../../src/index.js';

/** Hosts a real resolver would place in loopback, private, link-local (metadata) or unique-local space. */
const PRIVATE_LOOKING =
  /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|\[f[cd][0-9a-f]*:.*\]|metadata\.google\.internal)$/i;

/** The part of the outbound port the endpoint use cases call, refusing private-looking hosts. */
export async function fakeCheckUrl(url: string): Promise<CheckedUrl> {
  const parsed = new URL(url);
  if (PRIVATE_LOOKING.test(parsed.hostname)) {
    throw new DomainError('unsafe_url', 'The URL resolves to an address that is not public.', {
      reason: 'forbidden_address',
    });
  }
  return { url: parsed.toString(), hostname: parsed.hostname, addresses: ['203.0.113.10'] };
}

export interface Tenant {
  readonly customerId: string;
  readonly auth: { authorization: string };
}

export interface WebhookTestApp {
  readonly app: FastifyInstance;
  readonly clock: FakeClock;
  readonly uow: InMemoryUnitOfWork;
  /** Scripted answers of the receivers (`receiver.answer({ status: 500 })`) and every request sent. */
  readonly receiver: InMemoryWebhookReceiver;
  /** Every log line written so far, raw. */
  readonly logText: () => string;
  readonly newCustomer: (name?: string) => Promise<Tenant>;
  readonly newKey: (customerId: string, instanceId: string) => Promise<Tenant>;
  readonly newInstance: (tenant: Tenant, name: string) => Promise<string>;
  /** Records an event the way a use case does, in a transaction; returns its event id. */
  readonly recordEvent: (customerId: string, name: EventName, instanceId?: string | null) => Promise<string>;
  /** Runs the worker once over every delivery woken so far (as the queue would), and forgets them. */
  readonly deliverQueued: () => Promise<number>;
}

const PEPPER = 'test-pepper-0123456789abcdef0123456789';

export async function buildWebhookTestApp(): Promise<WebhookTestApp> {
  const clock = createFakeClock();
  const uow = createInMemoryUnitOfWork({ clock });
  const authenticator = createApiKeyAuthenticator({ repos: uow.repos, clock, pepper: PEPPER, cacheTtlMs: 0 });
  const secretBox = createSecretBox({ current: parseSecretsKey(generateSecretsKey()) });
  const receiver = createInMemoryWebhookReceiver();
  const outbound: OutboundHttp = { ...receiver, checkUrl: fakeCheckUrl };
  const woken: string[] = [];
  const deliveryQueue = { enqueue: async (jobs: ReadonlyArray<{ id: string }>) => void woken.push(...jobs.map((j) => j.id)) };
  const recorder = createEventRecorder({ clock, deliveryQueue, bus: createInProcessEventBus() });
  const processDelivery = createProcessDelivery({
    uow,
    clock,
    outbound,
    hostGate: createInMemoryHostGate({ limit: 4, leaseMs: 60_000, clock }),
    secretBox,
    // Two attempts 10 s apart, no jitter: a failing receiver ends a delivery `failed` quickly.
    retryPolicy: createRetryPolicy({ scheduleMs: [0, 10_000], jitter: 0, clock }),
    deliveryQueue,
  });
  const createApiKey = createCreateApiKey({ uow, clock, pepper: PEPPER });
  const createCustomer = createCreateCustomer({ uow, clock });
  const lines: string[] = [];

  const app = await buildHttpApp({
    useCases: {
      createInstance: createCreateInstance({ uow, clock }),
      listInstances: createListInstances({ uow }),
      getInstance: createGetInstance({ uow }),
      deleteInstance: createDeleteInstance({ uow, clock }),
      createApiKey,
      listApiKeys: createListApiKeys({ uow }),
      revokeApiKey: createRevokeApiKey({ uow, clock }),
      listAuditEvents: createListAuditEvents({ uow }),
    },
    authenticator,
    logger: { level: 'debug', stream: { write: (line) => void lines.push(line) } },
    info: { title: 'WhatIsUp', version: '0.0.0-test' },
    validateResponses: true,
    routes: [
      ...webhookEndpointRoutes({
        createWebhookEndpoint: createCreateWebhookEndpoint({ uow, clock, outbound, secretBox }),
        listWebhookEndpoints: createListWebhookEndpoints({ uow }),
        getWebhookEndpoint: createGetWebhookEndpoint({ uow }),
        updateWebhookEndpoint: createUpdateWebhookEndpoint({ uow, clock, outbound }),
        deleteWebhookEndpoint: createDeleteWebhookEndpoint({ uow, clock }),
        rotateWebhookSecret: createRotateWebhookSecret({ uow, clock, secretBox }),
        sendTestWebhook: createSendTestWebhook({ uow, clock, recorder }),
      }),
      ...webhookDeliveryRoutes({
        listWebhookDeliveries: createListWebhookDeliveries({ uow }),
        getWebhookDelivery: createGetWebhookDelivery({ uow }),
        replayWebhookDelivery: createReplayWebhookDelivery({ uow, clock, deliveryQueue }),
        recoverWebhookDeliveries: createRecoverWebhookDeliveries({ uow, clock, deliveryQueue }),
      }),
    ],
  });

  const newKey = async (customerId: string, instanceId: string | null = null): Promise<Tenant> => {
    const { key } = await createApiKey({ customerId, instanceId }, CLI_ACTOR);
    return { customerId, auth: { authorization: `Bearer ${key}` } };
  };

  return {
    app,
    clock,
    uow,
    receiver,
    logText: () => lines.join(''),
    newCustomer: async (name = 'Acme') => newKey((await createCustomer({ name }, CLI_ACTOR)).id),
    newKey,
    async newInstance(tenant, name) {
      const response = await app.inject({ method: 'POST', url: '/v1/instances', headers: tenant.auth, payload: { name } });
      return response.json<{ id: string }>().id;
    },
    async recordEvent(customerId, name, instanceId = null) {
      const envelope = await uow.transaction((repos, tx) =>
        recorder.record(repos, tx, { customerId, instanceId, name, data: { test: true } }),
      );
      return envelope.event_id;
    },
    async deliverQueued() {
      const ids = woken.splice(0);
      for (const id of ids) await processDelivery(id);
      return ids.length;
    },
  };
}
