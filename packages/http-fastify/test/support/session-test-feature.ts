/*
 * The session, sandbox, event-token, event-stream and pairing-page routes over the real session manager,
 * with a fake WhatsApp factory and core's in-memory simulated phone for sandbox instances. Events flow as in production: the
 * transition records them, the recorder publishes after commit, the bus fans out to the streams.
 */
import {
  createCallHandler,
  createCallRegistry,
  createGetInstanceSettings,
  createPostStatus,
  createRejectCall,
  createRejectRingingCall,
  createStoryViewHandler,
  createUpdateInstanceSettings,
  createChatActivity,
  createChatChangeHandler,
  createChatUseCases,
  createInProcessEventFeed,
  createPresenceHandler,
  createContactUseCases,
  createMediaStore,
  createMessageUseCases,
  createOutboxDrainer,
  createMintEventToken,
  createSessionManager,
  createSentMessageLookup,
  createVerifyEventToken,
  deriveEventTokenKey,
  type InboundMessage,
  type MessageChange,
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
  callRoutes,
  instanceSettingsRoutes,
  statusPostRoutes,
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
  /** How many recent events per customer the feed keeps for resuming streams. */
  readonly busCapacity?: number;
  readonly stream?: Partial<Pick<EventStreamRoutesDeps, 'keepaliveMs' | 'maxBufferedBytes' | 'onStreamEnd' | 'streams' | 'rateLimiter'>>;
}

export interface SessionTestHelpers {
  readonly recorder: InMemoryEventRecorder;
  readonly whatsapp: FakeWhatsAppSessionFactory;
  readonly sessions: SessionManager;
  /** Every inbound message the session manager handed on, oldest first. */
  readonly inbound: InboundMessage[];
  /** Reactions, edits, revokes and votes the sessions reported, in order. */
  readonly changes: MessageChange[];
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
  const feed = createInProcessEventFeed(bus, options.busCapacity === undefined ? {} : { capacity: options.busCapacity });
  const whatsapp = createFakeWhatsAppSessionFactory();
  const inbound: InboundMessage[] = [];
  const changes: MessageChange[] = [];
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
    onMessageChange: (_instance, change) => void changes.push(change),
    sentMessages: createSentMessageLookup(uow.repos.messages),
    onPresence: (instance, update) => presence(instance, update),
    onCall: (instance, call) => onCall(instance, call),
    onStoryView: (instance, view) => onStoryView(instance, view),
    onChat: (instance, change) => chatChange(instance, change),
  });
  const chatActivity = createChatActivity({ uow });
  const chatChange = createChatChangeHandler({ uow, events: recorder, clock });
  // Calls as the server wires them (apps/server compose/create-calls.ts), the reply staged like a send.
  const calls = createCallRegistry();
  const rejectRinging = createRejectRingingCall({ uow, events: recorder, clock, registry: calls, sender: sessions });
  const presence = createPresenceHandler({ uow, events: recorder, clock });
  const tokenKey = deriveEventTokenKey('server-secret-for-event-tokens-0123456789');
  const outboxQueue = { enqueue: async () => undefined };
  const unused = async (): Promise<never> => {
    throw new Error('not used by these routes');
  };
  const { stageOutboxAction, sendMessage } = createMessageUseCases({ uow, clock, outboxQueue, outbound: { checkUrl: unused } });
  const onCall = createCallHandler({
    uow,
    events: recorder,
    clock,
    registry: calls,
    reject: rejectRinging,
    reply: async (instance, { to, text }) =>
      void (await sendMessage({ customerId: instance.customerId, keyId: 'system', instanceId: instance.id }, { instanceId: instance.id, to, body: { type: 'text', text } })),
  });
  const onStoryView = createStoryViewHandler({ uow, events: recorder, clock });
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
      ...callRoutes({ rejectCall: createRejectCall({ uow, registry: calls, reject: rejectRinging, runsElsewhere: (id) => sessions.runsElsewhere(id) }) }),
      ...instanceSettingsRoutes({ getInstanceSettings: createGetInstanceSettings({ uow }), updateInstanceSettings: createUpdateInstanceSettings({ uow, clock }) }),
      ...statusPostRoutes({ postStatus: createPostStatus({ uow, clock, outboxQueue, outbound: { checkUrl: async (url) => ({ url, hostname: new URL(url).hostname, addresses: ['203.0.113.10'] }) } }) }),
      ...eventTokenRoutes({ mintEventToken: createMintEventToken({ uow, clock, key: tokenKey }) }),
      ...eventStreamRoutes({ feed, authenticator, verifyEventToken, getInstance, shutdown: shutdown.signal, ...options.stream }),
      ...pairingPageRoutes({ verifyEventToken, pairingState: sessions.pairingState }),
    ],
    helpers: {
      recorder,
      whatsapp,
      sessions,
      inbound,
      changes,
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
