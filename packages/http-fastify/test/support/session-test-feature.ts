/*
 * The session, sandbox, event-token, event-stream and pairing-page routes over the real session manager,
 * with a fake WhatsApp factory and core's in-memory simulated phone for sandbox instances. Events flow as in production: the
 * transition records them, the recorder publishes after commit, the bus fans out to the streams.
 */
import {
  createChatActivity,
  createChatChangeHandler,
  createChatUseCases,
  createPresenceHandler,
  createContactUseCases,
  createMediaStore,
  createMessageUseCases,
  createOutboxDrainer,
  createMintEventToken,
  createSessionManager,
  createVerifyEventToken,
  deriveEventTokenKey,
  type InboundMessage,
  type PublishedEvent,
  type SessionManager,
} from '@whatisup/core';
import {
  createFakeSandboxSessionFactory,
  createFakeWhatsAppSessionFactory,
  createInMemoryEventRecorder,
  type FakeWhatsAppSessionFactory,
  type InMemoryEventRecorder,
} from '@whatisup/core/testing';
import {
  chatRoutes,
  contactRoutes,
  eventStreamRoutes,
  eventTokenRoutes,
  pairingPageRoutes,
  sandboxRoutes,
  sessionRoutes,
  type EventStreamRoutesDeps,
} from '../../src/index.js';
import type { TestCore } from './create-test-core.js';
import type { Post, TestFeature } from './test-feature.js';

export interface SessionTestOptions {
  /** How many recent events the bus keeps for resuming streams. */
  readonly busCapacity?: number;
  readonly stream?: Partial<Pick<EventStreamRoutesDeps, 'keepaliveMs' | 'maxBufferedBytes' | 'onStreamEnd' | 'streams' | 'rateLimiter'>>;
}

export interface SessionTestHelpers {
  readonly recorder: InMemoryEventRecorder;
  readonly whatsapp: FakeWhatsAppSessionFactory;
  readonly sessions: SessionManager;
  /** Every inbound message the session manager handed on, oldest first. */
  readonly inbound: InboundMessage[];
  readonly tokenKey: Buffer;
  /** Mints an event token over HTTP as `auth`. */
  readonly mintToken: (auth: Record<string, string>, body?: object) => Promise<{ token: string; expires_at: string; instance_id: string | null }>;
  /** Performs every staged outbox item of the instance now, as the outbox worker would. */
  readonly drainOutbox: (instanceId: string) => Promise<void>;
  /** Publishes an event on the bus as the recorder would (for stream tests that need exact control). */
  readonly publish: (event: PublishedEvent) => void;
}

export function sessionTestFeature(core: TestCore, post: Post, options: SessionTestOptions = {}): TestFeature<SessionTestHelpers> {
  const { uow, clock, bus, authenticator } = core;
  const recorder = createInMemoryEventRecorder({ bus, clock });
  const whatsapp = createFakeWhatsAppSessionFactory();
  const inbound: InboundMessage[] = [];
  const sessions = createSessionManager({
    uow,
    events: recorder,
    clock,
    factories: {
      whatsapp,
      sandbox: createFakeSandboxSessionFactory({ clock }),
    },
    renderQrPng: async (text) => `data:image/png;base64,${Buffer.from(text).toString('base64')}`,
    maxSessions: 10,
    qrWaitMs: 300,
    lookupDeadlineMs: 100,
    resumeIntervalMs: 1,
    onInbound: async (instance, message) => {
      inbound.push(message);
      await chatActivity.onInbound(instance, message);
    },
    onPresence: (instance, update) => presence(instance, update),
    onChat: (instance, change) => chatChange(instance, change),
  });
  const chatActivity = createChatActivity({ uow });
  const chatChange = createChatChangeHandler({ uow, events: recorder, clock });
  const presence = createPresenceHandler({ uow, events: recorder, clock });
  const tokenKey = deriveEventTokenKey('server-secret-for-event-tokens-0123456789');
  const outboxQueue = { enqueue: async () => undefined };
  const unused = async (): Promise<never> => {
    throw new Error('not used by these routes');
  };
  const { stageOutboxAction } = createMessageUseCases({ uow, clock, outboxQueue, outbound: { checkUrl: unused } });
  const contacts = createContactUseCases({
    uow,
    clock,
    events: recorder,
    lookups: sessions,
    stageOutboxAction,
    outbound: { download: unused },
    media: { store: createMediaStore({ clock, maxBytes: 1024 * 1024, ttlMs: 60_000 }), key: tokenKey, publicUrl: 'http://localhost' },
  });
  const drain = createOutboxDrainer({ uow, clock, events: recorder, sender: sessions, outbound: { download: unused }, options: { minGapMs: 0 } });
  const verifyEventToken = createVerifyEventToken({ clock, key: tokenKey });
  const shutdown = new AbortController();
  const getInstance = core.useCases.getInstance;

  return {
    routes: [
      ...sessionRoutes({ sessions }),
      ...sandboxRoutes({ sandbox: sessions }),
      ...contactRoutes(contacts),
      ...chatRoutes(createChatUseCases({ stageOutboxAction, uow, clock })),
      ...eventTokenRoutes({ mintEventToken: createMintEventToken({ uow, clock, key: tokenKey }) }),
      ...eventStreamRoutes({ bus, authenticator, verifyEventToken, getInstance, shutdown: shutdown.signal, ...options.stream }),
      ...pairingPageRoutes({ verifyEventToken, pairingState: sessions.pairingState }),
    ],
    helpers: {
      recorder,
      whatsapp,
      sessions,
      inbound,
      tokenKey,
      mintToken: async (auth, body = {}) => (await post('/v1/event-tokens', auth, body)).json(),
      publish: (event) => bus.publish(event),
      drainOutbox: async (instanceId) => {
        while ((await drain(instanceId)) !== undefined);
      },
    },
    async close() {
      shutdown.abort();
      await sessions.closeAll();
    },
  };
}
