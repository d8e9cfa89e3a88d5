/*
 * The real app over core's in-memory adapters and real use cases: what an integrator sees over HTTP,
 * without a database. The tenant routes are always there; webhooks, messages and sessions are switched on
 * by option and can be combined. Logs are captured so tests can read them.
 *
 *   buildTestApp()                                              instances, keys, audit, health, docs
 *   buildTestApp({ clock: createFakeClock(), webhooks: true })  + endpoints, deliveries, a hand-run worker
 *   buildTestApp({ clock: createFakeClock(), messages: true })  + messages and media (needs a fake clock)
 *   buildTestApp({ sessions: { busCapacity: 2 } })              + sessions, sandbox, event tokens and stream
 *
 * Any other option is one of buildHttpApp's own (readiness, rateLimiter, metrics, logger, ...); extra
 * `routes` are added after the features' ones.
 */
import { systemClock, type Clock, type InstanceStatus, type InstanceKind } from '@whatisup/core';
import type { FakeClock, InMemoryUnitOfWork } from '@whatisup/core/testing';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { buildHttpApp, type Authenticator, type HttpAppDeps } from '../../src/index.js';
import { createTestCore, type TestCore } from './create-test-core.js';
import { messageTestFeature, type MessageTestHelpers, type MessageTestOptions } from './message-test-feature.js';
import { sessionTestFeature, type SessionTestHelpers, type SessionTestOptions } from './session-test-feature.js';
import type { Post, TestFeature } from './test-feature.js';
import { webhookTestFeature, type WebhookTestHelpers } from './webhook-test-feature.js';

export type { Tenant } from './create-test-core.js';

export interface TestAppOptions extends Partial<Omit<HttpAppDeps, 'useCases' | 'authenticator' | 'info'>> {
  /** The clock of every use case. Default: the system clock. */
  readonly clock?: Clock;
  readonly webhooks?: boolean;
  readonly messages?: boolean | MessageTestOptions;
  readonly sessions?: boolean | SessionTestOptions;
  /** Puts something in front of the authenticator the bearer hook uses (to count its calls). */
  readonly wrapAuthenticator?: (real: Authenticator) => Authenticator;
}

export interface NewInstanceOptions {
  /** Default: a random `i-…` name. */
  readonly name?: string;
  /** Default: the API's default kind (whatsapp). */
  readonly kind?: InstanceKind;
  /** Put straight into this status after creation, as the session manager would. Default: as created. */
  readonly status?: InstanceStatus;
}

export interface BaseTestApp<C extends Clock = Clock> {
  readonly app: FastifyInstance;
  readonly clock: C;
  readonly uow: InMemoryUnitOfWork;
  /** Every log line written so far, parsed. */
  readonly logs: () => Array<Record<string, unknown>>;
  /** Every log line written so far, raw. */
  readonly logText: () => string;
  readonly newCustomer: TestCore['newCustomer'];
  readonly newKey: TestCore['newKey'];
  /** Creates an instance over HTTP as `auth` (an unbound key's header) and returns its id. */
  readonly newInstance: (auth: Record<string, string>, options?: NewInstanceOptions) => Promise<string>;
  readonly post: Post;
  /** Stops the features (sessions, streams), then the app. */
  readonly close: () => Promise<void>;
}

type ClockOf<O> = O extends { clock: infer C extends Clock } ? C : Clock;
type When<On, Helpers> = On extends true | object ? Helpers : unknown;

/** The app built from options `O`: the base, plus the helpers of each feature `O` switches on. */
export type TestApp<O extends TestAppOptions = {}> = BaseTestApp<ClockOf<O>> &
  When<O['webhooks'], WebhookTestHelpers> &
  When<O['messages'], MessageTestHelpers> &
  When<O['sessions'], SessionTestHelpers>;

export async function buildTestApp(): Promise<TestApp>;
export async function buildTestApp<const O extends TestAppOptions>(options: O): Promise<TestApp<O>>;
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp<TestAppOptions>> {
  const { clock = systemClock, webhooks, messages, sessions, routes = [], wrapAuthenticator, ...http } = options;
  const sessionOptions = typeof sessions === 'object' ? sessions : {};
  const core = createTestCore({ clock, busCapacity: sessionOptions.busCapacity });
  let app: FastifyInstance | undefined;
  const post: Post = (url, auth, payload) => {
    if (app === undefined) throw new Error('the app is not built yet');
    return app.inject({ method: 'POST', url, headers: auth, ...(payload === undefined ? {} : { payload }) });
  };

  const features: Array<TestFeature<object>> = [];
  const webhookFeature = webhooks === true ? webhookTestFeature(core) : undefined;
  if (webhookFeature !== undefined) features.push(webhookFeature);
  if (messages !== undefined && messages !== false) {
    features.push(messageTestFeature(withFakeClock(core), typeof messages === 'object' ? messages : {}));
  }
  if (sessions !== undefined && sessions !== false) features.push(sessionTestFeature(core, post, sessionOptions));

  const lines: string[] = [];
  app = await buildHttpApp({
    useCases: core.useCases,
    authenticator: wrapAuthenticator === undefined ? core.authenticator : wrapAuthenticator(core.authenticator),
    logger: { level: 'debug', stream: { write: (line) => void lines.push(line) } },
    info: { title: 'WhatIsUp', version: '0.0.0-test' },
    validateResponses: true,
    ...(webhookFeature && { webhookEndpointLimits: webhookFeature.helpers.getWebhookEndpointLimits }),
    ...http,
    routes: [...features.flatMap((feature) => feature.routes), ...routes],
  });
  const built = app;

  const base: BaseTestApp = {
    app: built,
    clock,
    uow: core.uow,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    logText: () => lines.join(''),
    newCustomer: core.newCustomer,
    newKey: core.newKey,
    async newInstance(auth, { name = `i-${randomBytes(4).toString('hex')}`, kind, status } = {}) {
      const response = await post('/v1/instances', auth, { name, ...(kind === undefined ? {} : { kind }) });
      const { id } = response.json<{ id: string }>();
      if (status !== undefined && status !== 'pending') {
        const { customerId } = core.uow.state.instances.get(id)!;
        await core.uow.repos.instances.updateStatus(customerId, id, ['pending'], { status, statusReason: null, at: clock.now() });
      }
      return id;
    },
    post,
    async close() {
      for (const feature of features) await feature.close?.();
      await built.close();
    },
  };
  return Object.assign(base, ...features.map((feature) => feature.helpers));
}

function withFakeClock(core: TestCore): TestCore<FakeClock> {
  if (!('advance' in core.clock)) throw new Error('messages need a fake clock: buildTestApp({ clock: createFakeClock(), messages: true })');
  return core as TestCore<FakeClock>;
}
