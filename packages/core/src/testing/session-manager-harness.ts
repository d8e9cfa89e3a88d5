/*
 * Test support for the session manager tests: a manager over in-memory stores, a scriptable fake for
 * `whatsapp` instances, an in-memory sandbox factory unless the test passes the real simulated phone,
 * and a recorder that keeps committed events. The stores and factories outlive a manager, so starting a
 * second manager plays a process restart against the same "database" and credential stores.
 */
import { onTestFinished } from 'vitest';
import type { Principal } from '../shared/index.js';
import type { Instance, InstanceKind } from '../instances/index.js';
import {
  createSessionManager,
  type InboundMessage,
  type MessageStatusUpdate,
  type SandboxSessionFactory,
  type SessionManager,
  type SessionManagerDeps,
} from '../sessions/index.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';
import { createFakeSandboxSessionFactory } from './fake-sandbox-session-factory.js';
import { createFakeWhatsAppSessionFactory } from './fake-whatsapp-session-factory.js';
import { aCustomer, anInstance, aPrincipal } from './fixtures.js';
import { createInMemoryEventRecorder } from './in-memory-event-recorder.js';
import { createInMemoryUnitOfWork, type InMemoryUnitOfWork } from './in-memory-unit-of-work.js';

export interface SessionHarnessOptions {
  readonly maxSessions?: number;
  /** Makes the factory for `sandbox` instances; defaults to `createFakeSandboxSessionFactory`. */
  readonly sandbox?: (deps: { readonly clock: FakeClock; readonly uow: InMemoryUnitOfWork }) => SandboxSessionFactory;
}

export function createSessionHarness(options: SessionHarnessOptions = {}) {
  const clock = createFakeClock();
  const uow = createInMemoryUnitOfWork({ clock });
  const recorder = createInMemoryEventRecorder({ clock });
  const whatsapp = createFakeWhatsAppSessionFactory();
  const sandbox = options.sandbox?.({ clock, uow }) ?? createFakeSandboxSessionFactory({ clock });
  const inbound: InboundMessage[] = [];
  const statuses: MessageStatusUpdate[] = [];
  const errors: unknown[] = [];

  function startManager(overrides: Partial<SessionManagerDeps> = {}): SessionManager {
    const manager = createSessionManager({
      uow,
      events: recorder,
      clock,
      factories: { whatsapp, sandbox },
      renderQrPng: async (text) => `data:image/png;base64,${Buffer.from(text).toString('base64')}`,
      maxSessions: options.maxSessions ?? 10,
      qrWaitMs: 500,
      resumeIntervalMs: 1,
      onInbound: (_instance, message) => void inbound.push(message),
      onMessageStatus: (_instance, update) => void statuses.push(update),
      onError: (error) => void errors.push(error),
      ...overrides,
    });
    // Registered per test rather than in a module-level hook, so importing the test kit has no side effect.
    onTestFinished(() => manager.closeAll());
    return manager;
  }

  const customer = aCustomer();
  const principal: Principal = aPrincipal(customer.id);
  const ready = uow.repos.customers.create(customer);

  async function newInstance(kind: InstanceKind, overrides: Partial<Instance> = {}): Promise<Instance> {
    await ready;
    return uow.repos.instances.create(anInstance(customer.id, { kind, ...overrides }));
  }

  /**
   * Resolves once every session event emitted so far has been handled: the in-memory adapters and fakes
   * settle in promise callbacks alone (no timers), so all of it runs before the next macrotask.
   */
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  const status = async (id: string) => (await uow.repos.instances.findById(customer.id, id))?.status;
  const eventsOf = (id: string) => recorder.envelopes().filter((envelope) => envelope.instance_id === id);
  const audit = async (id: string) => (await uow.repos.audit.list(customer.id, { limit: 100 }, { instanceId: id })).data.reverse();

  return { clock, uow, recorder, whatsapp, sandbox, inbound, statuses, errors, principal, customer, startManager, newInstance, settled, status, eventsOf, audit };
}
