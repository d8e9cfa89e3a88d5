/*
 * The real app with the message and media route groups over core's in-memory adapters and real use cases:
 * a fake clock, a queue that only records which outboxes were woken, the fake URL check the webhook tests
 * use, and an in-memory media store. Nothing is sent: tests move messages along by hand (`advance`), the
 * way the outbox drainer and receipts would, to read the status trail over HTTP.
 */
import {
  CLI_ACTOR,
  createApiKeyAuthenticator,
  createCreateApiKey,
  createCreateCustomer,
  createCreateInstance,
  createDeleteInstance,
  createGetInstance,
  createGetMedia,
  createGetMessage,
  createListApiKeys,
  createListAuditEvents,
  createListInstances,
  createListMessages,
  createMediaStore,
  createRevokeApiKey,
  createSendMessage,
  signMediaToken,
  type InstanceStatus,
  type MessageReceipt,
} from '@whatisup/core';
import { createFakeClock, createInMemoryUnitOfWork } from '@whatisup/core/testing';
import { randomBytes } from 'node:crypto';
import { buildHttpApp, mediaRoutes, messageRoutes } from '../../src/index.js';
import { fakeCheckUrl } from './build-webhook-test-app.js';

const PEPPER = 'test-pepper-0123456789abcdef0123456789';
export const MEDIA_TTL_MS = 60_000;

export interface Tenant {
  readonly customerId: string;
  readonly auth: { authorization: string };
}

export async function buildMessageTestApp(options: { mediaMaxBytes?: number } = {}) {
  const clock = createFakeClock();
  const uow = createInMemoryUnitOfWork({ clock });
  const authenticator = createApiKeyAuthenticator({ repos: uow.repos, clock, pepper: PEPPER, cacheTtlMs: 0 });
  const createApiKey = createCreateApiKey({ uow, clock, pepper: PEPPER });
  const createCustomer = createCreateCustomer({ uow, clock });
  const woken: string[] = [];
  const outboxQueue = { enqueue: async (jobs: ReadonlyArray<{ id: string }>) => void woken.push(...jobs.map((j) => j.id)) };
  const media = createMediaStore({ clock, maxBytes: options.mediaMaxBytes ?? 1024 * 1024, ttlMs: MEDIA_TTL_MS });
  const mediaKey = randomBytes(32);
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
      ...messageRoutes({
        sendMessage: createSendMessage({ uow, clock, outboxQueue, outbound: { checkUrl: fakeCheckUrl } }),
        getMessage: createGetMessage({ uow }),
        listMessages: createListMessages({ uow }),
      }),
      ...mediaRoutes({ getMedia: createGetMedia({ clock, media, mediaKey }) }),
    ],
  });

  const newKey = async (customerId: string, instanceId: string | null = null): Promise<Tenant> => {
    const { key } = await createApiKey({ customerId, instanceId }, CLI_ACTOR);
    return { customerId, auth: { authorization: `Bearer ${key}` } };
  };

  /** A new instance of `tenant`, in `status` (connected unless told otherwise). */
  async function newInstance(tenant: Tenant, status: InstanceStatus = 'connected'): Promise<string> {
    const name = `i-${randomBytes(4).toString('hex')}`;
    const response = await app.inject({ method: 'POST', url: '/v1/instances', headers: tenant.auth, payload: { name } });
    const { id } = response.json<{ id: string }>();
    if (status !== 'pending') {
      await uow.repos.instances.updateStatus(tenant.customerId, id, ['pending'], { status, statusReason: null, at: clock.now() });
    }
    return id;
  }

  /** Sends the instance's oldest queued message as the drainer would, then applies `receipts` in order. */
  async function advance(instanceId: string, receipts: ReadonlyArray<MessageReceipt['status']> = []): Promise<string> {
    clock.advance(1_000);
    const claim = await uow.repos.messages.claimNext(instanceId, { now: clock.now(), until: new Date(clock.now().getTime() + 60_000), token: 't' });
    if (!claim.claimed) throw new Error('nothing to send');
    const whatsappId = `WA${randomBytes(6).toString('hex').toUpperCase()}`;
    await uow.repos.messages.markSent(claim.message.id, 't', { whatsappId, at: clock.now() });
    for (const status of receipts) {
      clock.advance(1_000);
      await uow.repos.messages.markStatus(instanceId, whatsappId, { status, at: clock.now(), participant: null });
    }
    return whatsappId;
  }

  /** Keeps inbound media as the inbound handler does and returns its signed URL's token. */
  function storeMedia(customerId: string, data: Uint8Array, mimeType: string, filename: string | null = null): string {
    const stored = media.put({ customerId, data, mimeType, filename });
    if (stored === null) throw new Error('media larger than the cache');
    return signMediaToken(mediaKey, { customerId, mediaId: stored.id, expiresAt: stored.expiresAt });
  }

  return {
    app,
    clock,
    uow,
    woken,
    media,
    mediaKey,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    newCustomer: async (name = 'Acme') => newKey((await createCustomer({ name }, CLI_ACTOR)).id),
    newKey,
    newInstance,
    advance,
    storeMedia,
  };
}

export type MessageTestApp = Awaited<ReturnType<typeof buildMessageTestApp>>;
