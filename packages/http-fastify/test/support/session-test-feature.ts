/*
 * The session, sandbox, event-token, event-stream and pairing-page routes over the real session manager,
 * with a fake WhatsApp factory and core's in-memory simulated phone for sandbox instances. Events flow as in production: the
 * transition records them, the recorder publishes after commit, the bus fans out to the streams.
 */
import {
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
    resumeIntervalMs: 1,
    onInbound: (_instance, message) => void inbound.push(message),
  });
  const tokenKey = deriveEventTokenKey('server-secret-for-event-tokens-0123456789');
  const verifyEventToken = createVerifyEventToken({ clock, key: tokenKey });
  const shutdown = new AbortController();
  const getInstance = core.useCases.getInstance;

  return {
    routes: [
      ...sessionRoutes({ sessions }),
      ...sandboxRoutes({ sandbox: sessions }),
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
    },
    async close() {
      shutdown.abort();
      await sessions.closeAll();
    },
  };
}
